import { isLoopbackListener, safeReturnPath } from './sign-in-targets';

describe('sign-in targets', () => {
  it('returns to a path of the panel only', () => {
    expect(safeReturnPath('/nodes/1?tab=peers')).toBe('/nodes/1?tab=peers');
    for (const bad of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'nodes',
      42,
      undefined,
      '/a b',
    ])
      expect(safeReturnPath(bad)).toBe('/');
    expect(safeReturnPath('/' + 'a'.repeat(600))).toBe('/');
  });

  it('sends a CLI sign-in only to a loopback listener', () => {
    expect(isLoopbackListener('http://127.0.0.1:43117/callback')).toBe(true);
    expect(isLoopbackListener('http://localhost:43117/callback')).toBe(true);
    for (const bad of [
      'https://127.0.0.1:43117/callback',
      'http://127.0.0.1/callback',
      'http://evil.example:43117/',
      'http://127.0.0.1.evil.example:80/',
      'http://user@127.0.0.1:43117/',
      'http://127.0.0.1:43117/?x=1',
      'not a url',
    ])
      expect(isLoopbackListener(bad)).toBe(false);
  });
});
