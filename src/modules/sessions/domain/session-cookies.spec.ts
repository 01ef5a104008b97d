import { readCookie, serializeCookie, SESSION_COOKIE } from './session-cookies';

const secret = 'A'.repeat(43);

describe('session cookies', () => {
  it('writes the session cookie HttpOnly, Secure and SameSite', () => {
    expect(
      serializeCookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'Lax', path: '/', maxAgeS: 60 }),
    ).toBe(`wgfleet_session=${secret}; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Lax`);
    expect(serializeCookie('x', '', { httpOnly: false, sameSite: 'Strict', path: '/', maxAgeS: 0 })).toBe(
      'x=; Path=/; Max-Age=0; Secure; SameSite=Strict',
    );
  });

  it('reads one cookie among others', () => {
    expect(readCookie(`a=1; ${SESSION_COOKIE}=${secret}; b=2`, SESSION_COOKIE)).toBe(secret);
    expect(readCookie(undefined, SESSION_COOKIE)).toBeNull();
    expect(readCookie('a=1', SESSION_COOKIE)).toBeNull();
  });

  it('refuses a cookie sent twice or not shaped like a secret', () => {
    expect(
      readCookie(`${SESSION_COOKIE}=${secret}; ${SESSION_COOKIE}=${'B'.repeat(43)}`, SESSION_COOKIE),
    ).toBeNull();
    expect(readCookie(`${SESSION_COOKIE}=short`, SESSION_COOKIE)).toBeNull();
    expect(readCookie(`${SESSION_COOKIE}=${'A'.repeat(40)}%00`, SESSION_COOKIE)).toBeNull();
  });
});
