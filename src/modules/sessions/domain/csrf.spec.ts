import { decideCsrf, hashCsrfToken } from './csrf';

const allowed = ['https://wgfleet.example.com'];
const token = 'c'.repeat(43);
const hash = hashCsrfToken(token);
const write = { method: 'POST', origin: 'https://wgfleet.example.com', referer: undefined, token };

describe('decideCsrf', () => {
  it('lets reads through without evidence', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS'])
      expect(
        decideCsrf({ method, origin: undefined, referer: undefined, token: undefined }, allowed, hash),
      ).toEqual({ allowed: true });
  });

  it("accepts a write from the panel's origin with the session's token", () => {
    expect(decideCsrf(write, allowed, hash)).toEqual({ allowed: true });
    expect(
      decideCsrf(
        { ...write, origin: undefined, referer: 'https://wgfleet.example.com/nodes/1' },
        allowed,
        hash,
      ),
    ).toEqual({ allowed: true });
  });

  it('refuses a write from another site, even with the right token', () => {
    expect(decideCsrf({ ...write, origin: 'https://evil.example' }, allowed, hash)).toEqual({
      allowed: false,
      reason: 'a write with a session cookie may not come from https://evil.example',
    });
    expect(decideCsrf({ ...write, origin: 'null' }, allowed, hash).allowed).toBe(false);
    expect(
      decideCsrf({ ...write, origin: undefined, referer: 'https://evil.example/x' }, allowed, hash).allowed,
    ).toBe(false);
  });

  it('refuses a write without an origin at all', () => {
    expect(decideCsrf({ ...write, origin: undefined }, allowed, hash)).toEqual({
      allowed: false,
      reason: 'a write with a session cookie needs an Origin header',
    });
    expect(decideCsrf({ ...write, origin: undefined, referer: 'not a url' }, allowed, hash).allowed).toBe(
      false,
    );
  });

  it('refuses a write without the token or with another', () => {
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE'])
      expect(decideCsrf({ ...write, method, token: undefined }, allowed, hash)).toEqual({
        allowed: false,
        reason: 'a write with a session cookie needs X-CSRF-Token',
      });
    expect(decideCsrf({ ...write, token: 'd'.repeat(43) }, allowed, hash)).toEqual({
      allowed: false,
      reason: "X-CSRF-Token is not this session's",
    });
  });
});
