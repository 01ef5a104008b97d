import { ajv, describeValidationError, syncconfSchema, validateBatchKey, validateBatchPeer } from './schemas';

const KEY = 'm7JrjY3yHqIpqQeHp6FZp/e+xaF0C149MHPvaCfeYTI=';

describe('validation messages', () => {
  const syncconf = ajv.compile(syncconfSchema);
  const firstError = (body: unknown) => {
    expect(syncconf(body)).toBe(false);
    return describeValidationError(syncconf.errors![0]);
  };

  it('names nested fields with indexes and never echoes the value', () => {
    expect(firstError({ peers: [{ public_key: KEY, allowed_ips: ['10.0.0.1/32', 'secret-ish'] }] })).toBe(
      'peers[0].allowed_ips[1]: must be an IP address or CIDR, e.g. 10.0.0.2/32',
    );
    expect(firstError({ peers: [{ public_key: KEY, allowed_ips: [], preshared_key: 'not-a-key' }] })).toBe(
      'peers[0].preshared_key: must be a WireGuard key (32 bytes, standard base64)',
    );
    expect(firstError({ peers: [], extra: 1 })).toBe('extra: unknown field');
    expect(firstError({})).toBe('peers: is required');
    expect(firstError([])).toBe('body: must be object');
    expect(firstError({ peers: [], listen_port: 65536 })).toBe('listen_port: must be <= 65535');
  });

  it('validates batch items one by one with their position', () => {
    expect(validateBatchPeer({ public_key: KEY, allowed_ips: [] }, 0)).toEqual({
      ok: true,
      value: { public_key: KEY, allowed_ips: [] },
    });
    expect(validateBatchPeer({ public_key: KEY, allowed_ips: [], persistent_keepalive: -1 }, 3)).toEqual({
      ok: false,
      error: 'upsert[3].persistent_keepalive: must be >= 0',
    });
    expect(validateBatchPeer('nope', 1)).toEqual({ ok: false, error: 'upsert[1]: must be object' });
    expect(validateBatchKey(KEY, 0)).toEqual({ ok: true, value: KEY });
    expect(validateBatchKey(KEY.replace('=', ''), 2)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^remove\[2\]: /),
    });
  });
});
