import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './exit-codes';
import { writeOwnerOnlyFile } from './owner-only-file';

/** One panel the CLI can talk to. */
export interface PanelContext {
  url: string;
  token: string;
  /** Saved by `wgfleet login --insecure`: a plain http:// panel on another host is accepted. */
  insecure?: boolean;
}

/** The config file `wgfleet login` writes: named contexts and the one used by default. */
export interface CliConfig {
  current_context?: string;
  contexts: Record<string, PanelContext>;
}

export interface Connection extends PanelContext {
  /** How the connection was chosen, for advice in error messages. */
  source: string;
}

type Env = Record<string, string | undefined>;

export function configPath(env: Env = process.env): string {
  if (env.WGFLEET_CONFIG) return env.WGFLEET_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'wgfleet', 'config.json');
}

export async function readCliConfig(path: string): Promise<CliConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { contexts: {} };
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<CliConfig>;
    return { current_context: parsed.current_context, contexts: parsed.contexts ?? {} };
  } catch {
    throw new CliError(`${path} is not valid JSON; fix it or remove it and run wgfleet login again`);
  }
}

/** Written owner-only (0600, directory 0700): it holds API tokens. */
export async function writeCliConfig(path: string, config: CliConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeOwnerOnlyFile(path, JSON.stringify(config, null, 2) + '\n');
}

/**
 * Which panel to talk to: `--context` first, then WGFLEET_URL (with WGFLEET_TOKEN), then the config file's
 * current context. WGFLEET_TOKEN alone overrides the token of the chosen context.
 */
export function resolveConnection(options: {
  contextName?: string;
  env: Env;
  config: CliConfig;
  path: string;
}): Connection {
  const { env, config, path } = options;
  const named = options.contextName ?? (env.WGFLEET_URL ? undefined : config.current_context);
  if (named !== undefined) {
    const context = config.contexts[named];
    if (!context) {
      const known = Object.keys(config.contexts);
      throw new CliError(
        `no context "${named}" in ${path}` +
          (known.length > 0 ? ` (known: ${known.join(', ')})` : '') +
          `; create it with: wgfleet login <panel URL> --context ${named}`,
      );
    }
    return {
      url: context.url,
      token: env.WGFLEET_TOKEN || context.token,
      source: `context "${named}" in ${path}`,
      ...(context.insecure ? { insecure: true } : {}),
    };
  }
  if (env.WGFLEET_URL) {
    if (!env.WGFLEET_TOKEN) {
      throw new CliError('WGFLEET_URL is set but WGFLEET_TOKEN is not; set it to an API token of the panel');
    }
    return { url: env.WGFLEET_URL, token: env.WGFLEET_TOKEN, source: 'WGFLEET_URL / WGFLEET_TOKEN' };
  }
  throw new CliError(
    'no panel configured: set WGFLEET_URL and WGFLEET_TOKEN, or run: wgfleet login <panel URL> --token-stdin',
  );
}
