import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliConfig, configPath, readCliConfig, resolveConnection, writeCliConfig } from './cli-config';
import { CliError } from './exit-codes';

const config: CliConfig = {
  current_context: 'prod',
  contexts: {
    prod: { url: 'https://prod.example', token: 'prod-token' },
    lab: { url: 'https://lab.example', token: 'lab-token' },
  },
};
const path = '/home/ops/.config/wgfleet/config.json';

describe('resolveConnection', () => {
  it('uses --context first', () => {
    const env = { WGFLEET_URL: 'https://env.example', WGFLEET_TOKEN: 'env-token' };
    expect(resolveConnection({ contextName: 'lab', env, config, path })).toMatchObject({
      url: 'https://lab.example',
      token: 'env-token',
    });
    expect(resolveConnection({ contextName: 'lab', env: {}, config, path }).token).toBe('lab-token');
  });

  it('then WGFLEET_URL and WGFLEET_TOKEN, over the current context', () => {
    const env = { WGFLEET_URL: 'https://env.example', WGFLEET_TOKEN: 'env-token' };
    expect(resolveConnection({ env, config, path })).toEqual({
      url: 'https://env.example',
      token: 'env-token',
      source: 'WGFLEET_URL / WGFLEET_TOKEN',
    });
  });

  it('then the current context of the file', () => {
    expect(resolveConnection({ env: {}, config, path })).toMatchObject({
      url: 'https://prod.example',
      source: `context "prod" in ${path}`,
    });
  });

  it('says what to do when nothing is configured, a context is unknown or the token is missing', () => {
    expect(() => resolveConnection({ env: {}, config: { contexts: {} }, path })).toThrow(/wgfleet login/);
    expect(() => resolveConnection({ contextName: 'qa', env: {}, config, path })).toThrow(
      /no context "qa".*known: prod, lab/,
    );
    expect(() => resolveConnection({ env: { WGFLEET_URL: 'https://x' }, config, path })).toThrow(CliError);
  });
});

describe('configPath', () => {
  it('prefers WGFLEET_CONFIG, then XDG_CONFIG_HOME', () => {
    expect(configPath({ WGFLEET_CONFIG: '/etc/wgfleet.json' })).toBe('/etc/wgfleet.json');
    expect(configPath({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/wgfleet/config.json');
  });
});

describe('the config file', () => {
  it('is written owner-only and read back; a missing file is empty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wgcl-config-'));
    try {
      const file = join(dir, 'nested', 'config.json');
      expect(await readCliConfig(file)).toEqual({ contexts: {} });
      await writeCliConfig(file, config);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
      expect(await readCliConfig(file)).toEqual(config);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(config);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
