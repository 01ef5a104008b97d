import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnrollError, isLoopback, parseEnrollArgs, parseEnvFile, updateEnvFile } from './enroll';

const base = ['--token', 'wgfe_x', '--url', 'https://203.0.113.5:8420'];

describe('wgfleet-agent enroll', () => {
  it('wants an https panel, unless it is on this host or --insecure is given', () => {
    expect(parseEnrollArgs(['--panel', 'https://panel.example.com', ...base]).panel.host).toBe(
      'panel.example.com',
    );
    expect(parseEnrollArgs(['--panel', 'http://127.0.0.1:3000', ...base]).insecure).toBe(false);
    expect(parseEnrollArgs(['--panel', 'http://[::1]:3000', ...base]).panel.port).toBe('3000');
    expect(() => parseEnrollArgs(['--panel', 'http://panel.example.com', ...base])).toThrow(
      /--panel must be https/,
    );
    expect(parseEnrollArgs(['--panel', 'http://panel.example.com', '--insecure', ...base]).insecure).toBe(
      true,
    );
  });

  it('names a missing or unknown option', () => {
    expect(() => parseEnrollArgs(['--panel', 'https://p.example.com', '--url', 'https://a:1'])).toThrow(
      new EnrollError('--token-file or --token is required'),
    );
    expect(() => parseEnrollArgs(['--panel', 'https://p', ...base, '--secret', 'x'])).toThrow(/--secret/);
    expect(() => parseEnrollArgs(['--panel', 'ftp://p', ...base])).toThrow(/--panel: expected an http/);
  });

  describe('the token, kept off the command line', () => {
    const panelAndUrl = ['--panel', 'https://panel.example.com', '--url', 'https://203.0.113.5:8420'];
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'xha-enroll-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads it from --token-file, without its trailing newline', () => {
      const file = join(dir, 'token');
      writeFileSync(file, 'wgfe_from-a-file\n', { mode: 0o600 });
      expect(parseEnrollArgs([...panelAndUrl, '--token-file', file]).token).toBe('wgfe_from-a-file');
    });

    it('reads it from standard input with --token -, and only once the rest of the line is valid', () => {
      const stdin = jest.fn(() => 'wgfe_from-stdin\n');
      expect(parseEnrollArgs([...panelAndUrl, '--token', '-'], stdin).token).toBe('wgfe_from-stdin');
      stdin.mockClear();
      expect(() =>
        parseEnrollArgs(['--panel', 'ftp://p', '--url', 'https://a:1', '--token', '-'], stdin),
      ).toThrow(/--panel/);
      expect(stdin).not.toHaveBeenCalled();
    });

    it('refuses two sources, an unreadable file or an empty token, naming the option', () => {
      const file = join(dir, 'token');
      expect(() => parseEnrollArgs([...panelAndUrl, '--token-file', file, '--token', 'x'])).toThrow(
        'give only one of --token-file and --token',
      );
      expect(() => parseEnrollArgs([...panelAndUrl, '--token-file', join(dir, 'nope')])).toThrow(
        /^--token-file: cannot read .*nope \(ENOENT\)$/,
      );
      expect(() => parseEnrollArgs([...panelAndUrl, '--token', '-'], () => '\n')).toThrow(
        '--token - (standard input): expected one enrollment token',
      );
    });
  });

  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.8.0.1', '[::1]'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', 'example.com', '::2', '128.0.0.1'].some(isLoopback)).toBe(false);
  });

  it('reads and updates an env file in place, keeping what it does not change', () => {
    const text = '# written by install.sh\nAGENT_INTERFACES=wg0\nAGENT_LOG_LEVEL="info"\n';
    expect([...parseEnvFile(text)]).toEqual([
      ['AGENT_INTERFACES', 'wg0'],
      ['AGENT_LOG_LEVEL', 'info'],
    ]);
    expect(
      updateEnvFile(
        text,
        new Map([
          ['AGENT_INTERFACES', 'wg0,wg1'],
          ['AGENT_SECRET_FILE', '/etc/wgfleet-agent/secret'],
        ]),
      ),
    ).toBe(
      '# written by install.sh\nAGENT_INTERFACES=wg0,wg1\nAGENT_LOG_LEVEL="info"\nAGENT_SECRET_FILE=/etc/wgfleet-agent/secret\n',
    );
    expect(updateEnvFile('', new Map([['A', '1']]))).toBe('A=1\n');
  });
});
