import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, newMessageId, signWebhook, webhookHeaders } from './standard-webhooks';

const body = JSON.stringify({
  type: 'drift.detected',
  timestamp: '2025-03-01T12:00:00.000Z',
  data: { node_id: 'node-1', node_name: 'eu-west', summary: { missing: 1 }, url: 'https://panel/x' },
});
const nowS = () => Math.floor(Date.now() / 1000);

describe('Standard Webhooks signing', () => {
  it('generates whsec_ secrets of 32 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('generates distinct msg_ ids', () => {
    const ids = new Set(Array.from({ length: 100 }, newMessageId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^msg_[A-Za-z0-9_-]{22}$/);
  });

  it('produces a signature the reference library verifies', () => {
    const secret = generateWebhookSecret();
    const headers = webhookHeaders([secret], newMessageId(), nowS(), body);

    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('matches the reference library byte for byte', () => {
    const secret = generateWebhookSecret();
    const timestampS = 1_740_830_400;
    expect(signWebhook([secret], 'msg_abc', timestampS, body)).toBe(
      new Webhook(secret).sign('msg_abc', new Date(timestampS * 1000), body),
    );
  });

  it('signs with every secret during a rotation so both old and new verify', () => {
    const [current, previous, stranger] = [
      generateWebhookSecret(),
      generateWebhookSecret(),
      generateWebhookSecret(),
    ];
    const headers = webhookHeaders([current, previous], newMessageId(), nowS(), body);

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(stranger).verify(body, { ...headers })).toThrow();
  });

  it('fails verification when the body or id is changed', () => {
    const secret = generateWebhookSecret();
    const headers = webhookHeaders([secret], 'msg_1', nowS(), body);

    expect(() => new Webhook(secret).verify(body.replace('eu-west', 'us-east'), { ...headers })).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow();
  });

  it('rejects a malformed secret without echoing it', () => {
    for (const bad of ['', 'whsec_', 'not-a-secret-at-all', 'whsec_***']) {
      expect(() => signWebhook([bad], 'msg_1', 1, body)).toThrow(
        'webhook secret must be "whsec_" followed by a base64 key',
      );
    }
    expect(() => signWebhook([], 'msg_1', 1, body)).toThrow(/at least one secret/);
  });
});
