import { claimRefusal, generateEnrollmentToken, hashEnrollmentToken } from './enrollment-token';

describe('enrollment tokens', () => {
  it('are long random strings stored only as a hash', () => {
    const token = generateEnrollmentToken();
    expect(token).toMatch(/^wgfe_[A-Za-z0-9_-]{43}$/);
    expect(generateEnrollmentToken()).not.toBe(token);
    expect(hashEnrollmentToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEnrollmentToken(token)).not.toContain(token.slice(5));
  });

  it('can be claimed only while open and unexpired, and say why not otherwise', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    const later = new Date('2026-01-01T13:00:00Z');
    expect(claimRefusal({ status: 'open', expiresAt: later }, now)).toBeNull();
    expect(claimRefusal(null, now)).toMatch(/not known/);
    expect(claimRefusal({ status: 'claimed', expiresAt: later }, now)).toMatch(/used already/);
    expect(claimRefusal({ status: 'revoked', expiresAt: later }, now)).toMatch(/revoked/);
    expect(claimRefusal({ status: 'open', expiresAt: now }, now)).toMatch(/expired/);
  });
});
