import { attemptOutcome, RESPONSE_EXCERPT_BYTES, responseExcerpt } from './delivery-outcome';

const SCHEDULE = [1000, 5000];
const NOW = Date.parse('2026-01-01T00:00:00Z');
const noJitter = () => 0.5;

describe('attemptOutcome', () => {
  it('delivers on any 2xx', () => {
    for (const statusCode of [200, 201, 204, 299]) {
      expect(attemptOutcome({ statusCode }, SCHEDULE, 1, NOW, noJitter)).toEqual({ kind: 'delivered' });
    }
  });

  it('treats 410 as the receiver asking to be forgotten', () => {
    expect(attemptOutcome({ statusCode: 410 }, SCHEDULE, 1, NOW, noJitter)).toEqual({ kind: 'gone' });
  });

  it('retries errors, redirects and network failures on the schedule', () => {
    for (const result of [{ statusCode: 500 }, { statusCode: 302 }, { statusCode: 404 }, {}]) {
      expect(attemptOutcome(result, SCHEDULE, 1, NOW, noJitter)).toEqual({
        kind: 'retry',
        at: new Date(NOW + 1000),
      });
      expect(attemptOutcome(result, SCHEDULE, 2, NOW, noJitter)).toEqual({
        kind: 'retry',
        at: new Date(NOW + 5000),
      });
    }
  });

  it('honours Retry-After on 429 and 503 only', () => {
    expect(attemptOutcome({ statusCode: 429, retryAfter: '30' }, SCHEDULE, 1, NOW, noJitter)).toEqual({
      kind: 'retry',
      at: new Date(NOW + 30_000),
    });
    expect(attemptOutcome({ statusCode: 500, retryAfter: '30' }, SCHEDULE, 1, NOW, noJitter)).toEqual({
      kind: 'retry',
      at: new Date(NOW + 1000),
    });
  });

  it('gives up once the schedule is used up', () => {
    expect(attemptOutcome({ statusCode: 500 }, SCHEDULE, 3, NOW, noJitter)).toEqual({ kind: 'exhausted' });
  });
});

describe('responseExcerpt', () => {
  it('is null for an empty body', () => {
    expect(responseExcerpt(Buffer.alloc(0))).toBeNull();
  });

  it('keeps short bodies whole', () => {
    expect(responseExcerpt(Buffer.from('ok'))).toBe('ok');
  });

  it('cuts at 1 KB without splitting a character', () => {
    const body = Buffer.from('a'.repeat(RESPONSE_EXCERPT_BYTES - 1) + 'é and more');
    const excerpt = responseExcerpt(body);
    expect(excerpt).toBe('a'.repeat(RESPONSE_EXCERPT_BYTES - 1));
    expect(Buffer.byteLength(excerpt ?? '')).toBeLessThanOrEqual(RESPONSE_EXCERPT_BYTES);
  });
});
