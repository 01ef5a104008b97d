import { isWireGuardKey, keyFromPathSegment, keyToPathSegment } from './keys';

describe('WireGuard key encoding', () => {
  const key = Buffer.alloc(32, 0xfb).toString('base64'); // contains '+' and '/'

  it('round-trips keys with + and / through a path segment', () => {
    expect(key).toMatch(/[+/]/);
    const seg = keyToPathSegment(key);
    expect(seg).not.toMatch(/[+/=]/);
    expect(keyFromPathSegment(seg)).toBe(key);
    expect(keyFromPathSegment(seg + '=')).toBe(key);
    expect(keyFromPathSegment(key)).toBe(key);
  });

  it('rejects anything that is not 32 bytes', () => {
    expect(isWireGuardKey(Buffer.alloc(31).toString('base64'))).toBe(false);
    expect(keyFromPathSegment('abc')).toBeNull();
    expect(keyFromPathSegment('../x')).toBeNull();
  });
});
