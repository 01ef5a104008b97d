import { ClaimError, identityFromClaims } from './claims';

const issuer = 'https://id.example.com';

describe('identityFromClaims', () => {
  it('takes subject, name, e-mail and groups', () => {
    expect(
      identityFromClaims(
        { sub: 'u-1', name: 'Ada Lovelace', email: 'ada@example.com', groups: ['ops', 'eu-ops', 'ops'] },
        issuer,
        'groups',
      ),
    ).toEqual({
      issuer,
      subject: 'u-1',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      groups: ['ops', 'eu-ops'],
    });
  });

  it('reads groups from the configured claim, and none when it is absent', () => {
    expect(identityFromClaims({ sub: 'u', roles: ['a'] }, issuer, 'roles').groups).toEqual(['a']);
    expect(identityFromClaims({ sub: 'u' }, issuer, 'groups').groups).toEqual([]);
  });

  it('falls back from name to preferred_username, e-mail, then subject', () => {
    expect(identityFromClaims({ sub: 'u', preferred_username: 'ada' }, issuer, 'groups').name).toBe('ada');
    expect(identityFromClaims({ sub: 'u', email: 'a@b.c', name: 42 }, issuer, 'groups').name).toBe('a@b.c');
    expect(identityFromClaims({ sub: 'u', name: '  \u0000 ' }, issuer, 'groups').name).toBe('u');
  });

  it('bounds display claims and strips control characters', () => {
    const identity = identityFromClaims(
      { sub: 'u', name: 'x'.repeat(5000) + '\n', email: 7 },
      issuer,
      'groups',
    );
    expect(identity.name).toHaveLength(200);
    expect(identity.email).toBeNull();
    expect(identityFromClaims({ sub: 'u', name: 'a\u001b[31mb' }, issuer, 'groups').name).toBe('a[31mb');
  });

  it('refuses a missing or oversized subject', () => {
    expect(() => identityFromClaims({}, issuer, 'groups')).toThrow(ClaimError);
    expect(() => identityFromClaims({ sub: 'x'.repeat(256) }, issuer, 'groups')).toThrow(
      /sub must be a string/,
    );
  });

  it('refuses a groups claim that is not an array of bounded strings', () => {
    for (const groups of ['ops', { ops: true }, [1], [''], ['x'.repeat(257)], Array(501).fill('g')])
      expect(() => identityFromClaims({ sub: 'u', groups }, issuer, 'groups')).toThrow(ClaimError);
  });
});
