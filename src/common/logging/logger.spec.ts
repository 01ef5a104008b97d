import { loggedUrl } from './logger';

describe('loggedUrl', () => {
  it("keeps a sign-in callback's code and state out of the log", () => {
    expect(loggedUrl('/auth/oidc/callback?code=abc123&state=xyz&iss=http%3A%2F%2Fid')).toBe(
      '/auth/oidc/callback?code=%5Bredacted%5D&state=%5Bredacted%5D&iss=http%3A%2F%2Fid',
    );
  });

  it('leaves every other URL as it came', () => {
    expect(loggedUrl('/api/nodes?tag=region%3Deu&limit=5')).toBe('/api/nodes?tag=region%3Deu&limit=5');
    expect(loggedUrl('/api/nodes')).toBe('/api/nodes');
  });
});
