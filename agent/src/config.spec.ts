import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

const SECRET = 'k'.repeat(32);

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'wgfleet-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the contract defaults', () => {
    expect(loadConfig({ AGENT_SECRET: SECRET, AGENT_INTERFACES: 'wg0, wg1 ,wg0' })).toEqual({
      secret: SECRET,
      host: '0.0.0.0',
      port: 8420,
      interfaces: ['wg0', 'wg1'],
      tls: null,
      maxSkewS: 300,
      logLevel: 'info',
      configDir: null,
      stateDir: null,
      receiptKeyFile: null,
    });
  });

  it('keeps the receipt key in the state directory unless AGENT_RECEIPT_KEY_FILE places it', () => {
    const base = { AGENT_SECRET: SECRET, AGENT_INTERFACES: 'wg0' };
    expect(loadConfig({ ...base, AGENT_STATE_DIR: dir }).receiptKeyFile).toBe(join(dir, 'receipt.key'));
    expect(loadConfig({ ...base, AGENT_STATE_DIR: dir, AGENT_RECEIPT_KEY_FILE: '/k' }).receiptKeyFile).toBe(
      '/k',
    );
  });

  it('reads the secret from AGENT_SECRET_FILE without its trailing newline', () => {
    const file = join(dir, 'secret');
    writeFileSync(file, `${SECRET}\n`);
    expect(loadConfig({ AGENT_SECRET_FILE: file, AGENT_INTERFACES: 'wg0' }).secret).toBe(SECRET);
  });

  it('parses IPv6 listen addresses, TLS files and the config dir', () => {
    writeFileSync(join(dir, 'cert.pem'), 'CERT');
    writeFileSync(join(dir, 'key.pem'), 'KEY');
    const config = loadConfig({
      AGENT_SECRET: SECRET,
      AGENT_INTERFACES: 'wg0',
      AGENT_LISTEN: '[::]:9000',
      AGENT_TLS_CERT: join(dir, 'cert.pem'),
      AGENT_TLS_KEY: join(dir, 'key.pem'),
      AGENT_CONFIG_DIR: dir,
      AGENT_MAX_SKEW_S: '60',
    });
    expect(config).toMatchObject({ host: '::', port: 9000, maxSkewS: 60, configDir: dir });
    expect(config.tls).toEqual({ cert: Buffer.from('CERT'), key: Buffer.from('KEY') });
  });

  it('keeps state in AGENT_STATE_DIR, else in the first directory of systemd STATE_DIRECTORY', () => {
    const base = { AGENT_SECRET: SECRET, AGENT_INTERFACES: 'wg0' };
    expect(loadConfig({ ...base, AGENT_STATE_DIR: dir, STATE_DIRECTORY: '/x' }).stateDir).toBe(dir);
    expect(loadConfig({ ...base, STATE_DIRECTORY: `${dir}:/elsewhere` }).stateDir).toBe(dir);
    expect(problemsOf({ ...base, AGENT_STATE_DIR: join(dir, 'nope') })).toEqual([
      `AGENT_STATE_DIR: ${join(dir, 'nope')} is not an existing directory`,
    ]);
  });

  it('caps AGENT_MAX_SKEW_S at 600 seconds', () => {
    const base = { AGENT_SECRET: SECRET, AGENT_INTERFACES: 'wg0' };
    expect(loadConfig({ ...base, AGENT_MAX_SKEW_S: '600' }).maxSkewS).toBe(600);
    expect(problemsOf({ ...base, AGENT_MAX_SKEW_S: '601' })).toEqual([
      'AGENT_MAX_SKEW_S: expected whole seconds between 1 and 600, got "601"',
    ]);
  });

  it('refuses a short or missing secret, naming the variable but not the value', () => {
    const short = problemsOf({ AGENT_SECRET: 'x'.repeat(31), AGENT_INTERFACES: 'wg0' });
    expect(short).toEqual(['AGENT_SECRET: the secret must be at least 32 bytes']);
    expect(problemsOf({ AGENT_INTERFACES: 'wg0' })).toEqual([
      'AGENT_SECRET or AGENT_SECRET_FILE is required',
    ]);
    expect(problemsOf({ AGENT_SECRET_FILE: join(dir, 'missing'), AGENT_INTERFACES: 'wg0' })[0]).toMatch(
      /^AGENT_SECRET_FILE: cannot read .*missing \(ENOENT\)$/,
    );
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      AGENT_SECRET: SECRET,
      AGENT_SECRET_FILE: '/x',
      AGENT_INTERFACES: 'wg0,../x',
      AGENT_LISTEN: '8420',
      AGENT_MAX_SKEW_S: '-5',
      AGENT_LOG_LEVEL: 'loud',
      AGENT_TLS_CERT: '/c',
      AGENT_CONFIG_DIR: join(dir, 'nope'),
    });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(
      [
        'AGENT_CONFIG_DIR',
        'AGENT_INTERFACES',
        'AGENT_LISTEN',
        'AGENT_LOG_LEVEL',
        'AGENT_MAX_SKEW_S',
        'AGENT_TLS_CERT and AGENT_TLS_KEY must be set together',
        'set only one of AGENT_SECRET and AGENT_SECRET_FILE',
      ].sort(),
    );
  });

  it('requires at least one interface', () => {
    expect(problemsOf({ AGENT_SECRET: SECRET })).toEqual([
      'AGENT_INTERFACES: list at least one interface, e.g. wg0',
    ]);
  });
});
