import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks (docs/API.md, Webhooks): secrets are "whsec_" + base64 of the key bytes. */
const SECRET_PREFIX = 'whsec_';

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** A message id that stays the same across retries of one delivery. */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

/**
 * The webhook-signature header value: one "v1,<base64 HMAC-SHA256>" per secret, space separated, so a receiver
 * holding either the old or the new secret verifies during a rotation. Pass the current secret first.
 */
export function signWebhook(
  secrets: readonly string[],
  msgId: string,
  timestampS: number,
  body: string,
): string {
  if (secrets.length === 0) throw new Error('signWebhook needs at least one secret');
  const signed = `${msgId}.${timestampS}.${body}`;
  return secrets
    .map((secret) => `v1,${createHmac('sha256', secretKey(secret)).update(signed).digest('base64')}`)
    .join(' ');
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function webhookHeaders(
  secrets: readonly string[],
  msgId: string,
  timestampS: number,
  body: string,
): WebhookHeaders {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestampS),
    'webhook-signature': signWebhook(secrets, msgId, timestampS, body),
  };
}

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  const key = Buffer.from(encoded, 'base64');
  // The message names the shape only; the secret itself must never reach a log.
  if (key.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new Error('webhook secret must be "whsec_" followed by a base64 key');
  }
  return key;
}
