import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_SECRET_BYTES } from '@wgfleet/protocol';
import { isInterfaceName } from './validation/interface-name';

export interface AgentConfig {
  secret: string;
  host: string;
  port: number;
  /** Interfaces the agent may touch; any other name answers 404. */
  interfaces: readonly string[];
  tls: { cert: Buffer; key: Buffer } | null;
  maxSkewS: number;
  logLevel: string;
  /** Where `<iface>.conf` is kept for wg-quick; null = no persistence. */
  configDir: string | null;
  /** Where the agent keeps its own state (the nonce journal); null = nonces in memory only. */
  stateDir?: string | null;
  /** The node's receipt signing key (made on first start): AGENT_RECEIPT_KEY_FILE, else `receipt.key` in
   * the state directory; null = no receipts. */
  receiptKeyFile?: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid agent configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const DEFAULT_LISTEN = '0.0.0.0:8420';
const DEFAULT_MAX_SKEW_S = 300;
/** A longer window keeps a captured request replayable for longer than clock drift can justify. */
export const MAX_MAX_SKEW_S = 600;

type Env = Record<string, string | undefined>;

function readFile(path: string, variable: string, problems: string[]): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    problems.push(`${variable}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return null;
  }
}

function loadSecret(env: Env, problems: string[]): string {
  const inline = env.AGENT_SECRET;
  const file = env.AGENT_SECRET_FILE;
  if (inline && file) {
    problems.push('set only one of AGENT_SECRET and AGENT_SECRET_FILE');
    return '';
  }
  const source = file ? 'AGENT_SECRET_FILE' : 'AGENT_SECRET';
  // A trailing newline in a secret file is an editor artefact, not part of the secret.
  const secret = file
    ? (readFile(file, source, problems)
        ?.toString('utf8')
        .replace(/\r?\n$/, '') ?? '')
    : inline;
  if (secret === undefined || secret === '') {
    if (!file) problems.push('AGENT_SECRET or AGENT_SECRET_FILE is required');
    return '';
  }
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    problems.push(`${source}: the secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  return secret;
}

function parseListen(value: string, problems: string[]): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    problems.push(`AGENT_LISTEN: expected host:port (e.g. ${DEFAULT_LISTEN} or [::]:8420), got "${value}"`);
    return { host: '', port: 0 };
  }
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

function parseInterfaces(value: string | undefined, problems: string[]): string[] {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) problems.push('AGENT_INTERFACES: list at least one interface, e.g. wg0');
  for (const name of names) {
    if (!isInterfaceName(name)) {
      problems.push(`AGENT_INTERFACES: "${name}" is not a valid interface name (1-15 of [A-Za-z0-9_=+.-])`);
    }
  }
  return [...new Set(names)];
}

function parseMaxSkew(value: string | undefined, problems: string[]): number {
  if (value === undefined || value === '') return DEFAULT_MAX_SKEW_S;
  const skew = Number(value);
  if (!/^\d+$/.test(value) || skew < 1 || skew > MAX_MAX_SKEW_S) {
    problems.push(`AGENT_MAX_SKEW_S: expected whole seconds between 1 and ${MAX_MAX_SKEW_S}, got "${value}"`);
  }
  return skew;
}

function loadTls(env: Env, problems: string[]): AgentConfig['tls'] {
  const certPath = env.AGENT_TLS_CERT;
  const keyPath = env.AGENT_TLS_KEY;
  if (!certPath && !keyPath) return null;
  if (!certPath || !keyPath) {
    problems.push('AGENT_TLS_CERT and AGENT_TLS_KEY must be set together');
    return null;
  }
  const cert = readFile(certPath, 'AGENT_TLS_CERT', problems);
  const key = readFile(keyPath, 'AGENT_TLS_KEY', problems);
  return cert && key ? { cert, key } : null;
}

function loadDirectory(variable: string, value: string | undefined, problems: string[]): string | null {
  if (!value) return null;
  try {
    if (statSync(value).isDirectory()) return value;
  } catch {
    // reported below
  }
  problems.push(`${variable}: ${value} is not an existing directory`);
  return null;
}

/** AGENT_STATE_DIR, else the first directory systemd's StateDirectory= gives in STATE_DIRECTORY. */
function loadStateDir(env: Env, problems: string[]): string | null {
  if (env.AGENT_STATE_DIR) return loadDirectory('AGENT_STATE_DIR', env.AGENT_STATE_DIR, problems);
  return loadDirectory('STATE_DIRECTORY', env.STATE_DIRECTORY?.split(':')[0], problems);
}

/** Reads and validates the whole configuration once, reporting every problem together. */
export function loadConfig(env: Env = process.env): AgentConfig {
  const problems: string[] = [];
  const logLevel = env.AGENT_LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`AGENT_LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const stateDir = loadStateDir(env, problems);
  const config: AgentConfig = {
    secret: loadSecret(env, problems),
    ...parseListen(env.AGENT_LISTEN || DEFAULT_LISTEN, problems),
    interfaces: parseInterfaces(env.AGENT_INTERFACES, problems),
    tls: loadTls(env, problems),
    maxSkewS: parseMaxSkew(env.AGENT_MAX_SKEW_S, problems),
    logLevel,
    configDir: loadDirectory('AGENT_CONFIG_DIR', env.AGENT_CONFIG_DIR, problems),
    stateDir,
    // The node's own receipt key lives with its state unless placed elsewhere.
    receiptKeyFile: env.AGENT_RECEIPT_KEY_FILE || (stateDir ? join(stateDir, 'receipt.key') : null),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
