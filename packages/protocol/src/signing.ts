import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Header names of agent protocol v1 (lower-case, as Node exposes incoming headers). */
export const TIMESTAMP_HEADER = 'x-agent-timestamp';
export const NONCE_HEADER = 'x-agent-nonce';
export const SIGNATURE_HEADER = 'x-agent-signature';
export const RESPONSE_SIGNATURE_HEADER = 'x-agent-response-signature';

export const MIN_SECRET_BYTES = 32;
const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const SIGNATURE_PATTERN = /^v1=([0-9a-f]{64})$/;

export type AuthErrorCode = 'missing_auth' | 'bad_signature' | 'expired' | 'replayed';

export interface SignedRequest {
  method: string;
  /** Path and query exactly as on the request line. */
  target: string;
  timestamp: string;
  nonce: string;
  body: Buffer | string;
}

export function canonicalString(req: SignedRequest): string {
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  return [req.method.toUpperCase(), req.target, req.timestamp, req.nonce, bodyHash].join('\n');
}

export function computeSignature(secret: string | Buffer, req: SignedRequest): string {
  return 'v1=' + createHmac('sha256', secret).update(canonicalString(req)).digest('hex');
}

export function generateNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** Headers a client sends; call it for every attempt so retries carry a fresh timestamp and nonce. */
export function signRequest(
  secret: string | Buffer,
  method: string,
  target: string,
  body: Buffer | string,
  nowS: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const timestamp = String(nowS);
  const nonce = generateNonce();
  return {
    'X-Agent-Timestamp': timestamp,
    'X-Agent-Nonce': nonce,
    'X-Agent-Signature': computeSignature(secret, { method, target, timestamp, nonce, body }),
  };
}

/**
 * Remembers nonces for as long as their timestamps could still pass the skew check, so a replay inside the
 * window is caught while memory stays bounded by the request rate times the window.
 */
export class NonceCache {
  private readonly expiries = new Map<string, number>();
  private lastSweepMs = 0;

  constructor(private readonly windowS: number) {}

  /** Records the nonce; false when it was already seen and has not expired. */
  remember(nonce: string, nowMs: number): boolean {
    this.sweep(nowMs);
    const expiry = this.expiries.get(nonce);
    if (expiry !== undefined && expiry > nowMs) return false;
    // A timestamp may be up to `window` in the future, so a nonce must be kept for twice the window.
    this.expiries.set(nonce, nowMs + 2 * this.windowS * 1000);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < 1000) return;
    this.lastSweepMs = nowMs;
    // Map iteration is insertion order and expiries are monotonic, so stop at the first live entry.
    for (const [nonce, expiry] of this.expiries) {
      if (expiry > nowMs) break;
      this.expiries.delete(nonce);
    }
  }
}

/**
 * The agent's signature over one answer: binds the status and body to the nonce of the request it answers,
 * so an answer can be neither forged nor replayed to another request.
 */
export function computeResponseSignature(
  secret: string | Buffer,
  status: number,
  requestNonce: string,
  bodyHash: string,
): string {
  const canonical = [String(status), requestNonce, bodyHash].join('\n');
  return 'v1=' + createHmac('sha256', secret).update(canonical).digest('hex');
}

/** Lower-case hex SHA-256 of an answer body, given whole or as the chunks it is sent in. */
export function bodySha256(body: Buffer | string | readonly (Buffer | string)[]): string {
  const hash = createHash('sha256');
  for (const chunk of Array.isArray(body) ? body : [body]) hash.update(chunk as Buffer | string);
  return hash.digest('hex');
}

export function signResponse(
  secret: string | Buffer,
  status: number,
  requestNonce: string,
  body: Buffer | string | readonly (Buffer | string)[],
): string {
  return computeResponseSignature(secret, status, requestNonce, bodySha256(body));
}

/** True only when `signature` is the agent's v1 signature of this status and body for this request nonce. */
export function verifyResponse(
  secret: string | Buffer,
  status: number,
  requestNonce: string,
  body: Buffer | string,
  signature: string | string[] | undefined,
): boolean {
  const given = typeof signature === 'string' ? SIGNATURE_PATTERN.exec(signature) : null;
  const expected = Buffer.from(signResponse(secret, status, requestNonce, body).slice(3), 'hex');
  const givenBytes = Buffer.from(given ? given[1] : '0'.repeat(64), 'hex');
  return timingSafeEqual(givenBytes, expected) && given !== null;
}

export interface VerifyInput {
  secret: string | Buffer;
  method: string;
  target: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
  maxSkewS: number;
  nonces: NonceCache;
  nowMs?: number;
  /**
   * Unix seconds: requests timestamped earlier are refused as expired. The agent gives its own start, so a
   * request captured before a restart (when the nonce cache was empty again) cannot be replayed after it.
   */
  notBeforeS?: number;
}

export type VerifyResult = { ok: true } | { ok: false; code: AuthErrorCode; message: string };

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

export function verifyRequest(input: VerifyInput): VerifyResult {
  const nowMs = input.nowMs ?? Date.now();
  const timestamp = single(input.headers[TIMESTAMP_HEADER]);
  const nonce = single(input.headers[NONCE_HEADER]);
  const signature = single(input.headers[SIGNATURE_HEADER]);
  if (!timestamp || !nonce || !signature) {
    return {
      ok: false,
      code: 'missing_auth',
      message: 'X-Agent-Timestamp, X-Agent-Nonce and X-Agent-Signature are required',
    };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, code: 'bad_signature', message: 'X-Agent-Timestamp must be unix seconds' };
  }
  if (!NONCE_PATTERN.test(nonce)) {
    return {
      ok: false,
      code: 'bad_signature',
      message: 'X-Agent-Nonce must be 16-64 characters of [A-Za-z0-9_-]',
    };
  }
  const given = SIGNATURE_PATTERN.exec(signature);
  const expected = computeSignature(input.secret, {
    method: input.method,
    target: input.target,
    timestamp,
    nonce,
    body: input.body,
  });
  const givenBytes = Buffer.from(given ? given[1] : '0'.repeat(64), 'hex');
  const expectedBytes = Buffer.from(expected.slice(3), 'hex');
  if (!timingSafeEqual(givenBytes, expectedBytes) || !given) {
    return { ok: false, code: 'bad_signature', message: 'signature does not match the request' };
  }
  // Skew and replay are checked only after the signature, so an attacker cannot fill the nonce cache.
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > input.maxSkewS) {
    return {
      ok: false,
      code: 'expired',
      message: `timestamp is more than ${input.maxSkewS}s away from the agent's clock`,
    };
  }
  if (input.notBeforeS !== undefined && Number(timestamp) < input.notBeforeS) {
    return { ok: false, code: 'expired', message: 'timestamp is older than the agent itself' };
  }
  if (!input.nonces.remember(nonce, nowMs)) {
    return { ok: false, code: 'replayed', message: 'nonce was already used' };
  }
  return { ok: true };
}
