import {
  NonceCache,
  computeSignature,
  signRequest,
  signResponse,
  verifyRequest,
  verifyResponse,
} from './signing';

const secret = 'x'.repeat(32);

function headersFor(method: string, target: string, body: string, nowS: number) {
  const h = signRequest(secret, method, target, body, nowS);
  return {
    'x-agent-timestamp': h['X-Agent-Timestamp'],
    'x-agent-nonce': h['X-Agent-Nonce'],
    'x-agent-signature': h['X-Agent-Signature'],
  };
}

describe('agent request signing', () => {
  const nowS = 1_800_000_000;
  const verify = (over: Partial<Parameters<typeof verifyRequest>[0]> = {}) =>
    verifyRequest({
      secret,
      method: 'POST',
      target: '/v1/wg/wg0/peers',
      headers: headersFor('POST', '/v1/wg/wg0/peers', '{"a":1}', nowS),
      body: '{"a":1}',
      maxSkewS: 300,
      nonces: new NonceCache(300),
      nowMs: nowS * 1000,
      ...over,
    });

  it('accepts a correctly signed request', () => {
    expect(verify()).toEqual({ ok: true });
  });

  it('names each failure with its contract code', () => {
    expect(verify({ headers: {} })).toMatchObject({ ok: false, code: 'missing_auth' });
    expect(verify({ body: '{"a":2}' })).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verify({ target: '/v1/wg/wg1/peers' })).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verify({ secret: 'y'.repeat(32) })).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verify({ nowMs: (nowS + 301) * 1000 })).toMatchObject({ ok: false, code: 'expired' });
  });

  it('refuses a request timestamped before notBeforeS (the agent start) as expired', () => {
    expect(verify({ notBeforeS: nowS + 1 })).toMatchObject({ ok: false, code: 'expired' });
    expect(verify({ notBeforeS: nowS })).toEqual({ ok: true });
  });

  it('rejects a replayed nonce inside the window', () => {
    const nonces = new NonceCache(300);
    const headers = headersFor('GET', '/v1/interfaces', '', nowS);
    const once = { method: 'GET', target: '/v1/interfaces', body: '', headers, nonces };
    expect(verify(once)).toEqual({ ok: true });
    expect(verify(once)).toMatchObject({ ok: false, code: 'replayed' });
  });

  it('signs the canonical string of the contract', () => {
    // HMAC-SHA256(secret, "GET\n/v1/interfaces\n1\nnonce-nonce-nonce\n" + sha256("")), computed independently.
    const sig = computeSignature(secret, {
      method: 'GET',
      target: '/v1/interfaces',
      timestamp: '1',
      nonce: 'nonce-nonce-nonce',
      body: '',
    });
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const canonical =
      'GET\n/v1/interfaces\n1\nnonce-nonce-nonce\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(sig).toBe('v1=' + createHmac('sha256', secret).update(canonical).digest('hex'));
  });

  it('forgets nonces once they can no longer pass the skew check', () => {
    const cache = new NonceCache(1);
    expect(cache.remember('n'.repeat(16), 0)).toBe(true);
    expect(cache.remember('m'.repeat(16), 5000)).toBe(true);
    expect(cache.size).toBe(1);
  });
});

describe('agent response signing', () => {
  const nonce = 'nonce-nonce-nonce';
  const body = '{"interfaces":["wg0"]}';

  it('signs STATUS, the request nonce and the SHA-256 of the body as the contract says', () => {
    const { createHash, createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const canonical = `200\n${nonce}\n${createHash('sha256').update(body).digest('hex')}`;
    expect(signResponse(secret, 200, nonce, body)).toBe(
      'v1=' + createHmac('sha256', secret).update(canonical).digest('hex'),
    );
    expect(signResponse(secret, 200, nonce, [body.slice(0, 5), Buffer.from(body.slice(5))])).toBe(
      signResponse(secret, 200, nonce, body),
    );
  });

  it('verifies only the exact status, nonce, body and secret', () => {
    const signature = signResponse(secret, 200, nonce, body);
    expect(verifyResponse(secret, 200, nonce, Buffer.from(body), signature)).toBe(true);
    expect(verifyResponse(secret, 201, nonce, body, signature)).toBe(false);
    expect(verifyResponse(secret, 200, 'other-nonce-other', body, signature)).toBe(false);
    expect(verifyResponse(secret, 200, nonce, body + ' ', signature)).toBe(false);
    expect(verifyResponse('y'.repeat(32), 200, nonce, body, signature)).toBe(false);
    expect(verifyResponse(secret, 200, nonce, body, undefined)).toBe(false);
    expect(verifyResponse(secret, 200, nonce, body, [signature, signature])).toBe(false);
    expect(verifyResponse(secret, 200, nonce, body, signature.toUpperCase())).toBe(false);
  });
});
