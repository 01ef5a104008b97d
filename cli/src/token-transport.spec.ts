import { CliError } from './exit-codes';
import { assertTokenTransport, isLoopbackHost } from './token-transport';

describe('assertTokenTransport', () => {
  it('allows https:// anywhere and http:// to this host', () => {
    for (const url of [
      'https://wgfleet.example.com',
      'http://127.0.0.1:3000',
      'http://127.8.0.1',
      'http://localhost:3000',
      'http://[::1]:3000',
    ]) {
      expect(() => assertTokenTransport(url, false)).not.toThrow();
    }
  });

  it('refuses http:// to another host unless insecure, naming the host and the way out', () => {
    expect(() => assertTokenTransport('http://panel.example.com', false)).toThrow(
      new CliError(
        'refusing to send the API token in clear to panel.example.com: use https://panel.example.com, ' +
          'or give --insecure if the path to the panel is trusted (http:// is allowed to this host only)',
      ),
    );
    expect(() => assertTokenTransport('http://10.0.0.5:3000', false)).toThrow(/in clear to 10\.0\.0\.5:3000/);
    expect(() => assertTokenTransport('http://panel.example.com', true)).not.toThrow();
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => assertTokenTransport('panel.example.com', false)).toThrow(/is not a URL/);
    expect(() => assertTokenTransport('ftp://panel.example.com', false)).toThrow(/expected an https/);
  });

  it('knows loopback hosts', () => {
    expect(['localhost', 'a.localhost', '127.0.0.1', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(
      ['10.0.0.1', 'example.com', '128.0.0.1', '::2', 'localhost.example.com'].some(isLoopbackHost),
    ).toBe(false);
  });
});
