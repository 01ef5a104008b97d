/**
 * `wgfleet-agent enroll`: registers this node with a panel using a one-time enrollment token. The agent secret
 * is made here (or the one the installer made is kept), written to the agent's config, and sent to the panel
 * once, inside the claim, together with the agent's URL and its TLS certificate's fingerprint.
 */
import { execFile } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MIN_SECRET_BYTES } from '@wgfleet/protocol';

export const DEFAULT_CONFIG_DIR = '/etc/wgfleet-agent';
const ENV_FILE = 'agent.env';
const SECRET_FILE = 'secret';

export const ENROLL_USAGE = `usage: wgfleet-agent enroll --panel <panel URL> --token-file <file> --url <agent URL>
       wgfleet-agent enroll --panel <panel URL> --token - --url <agent URL>   (token on standard input)
  --panel URL        the panel, https:// (http:// only to a loopback address, or with --insecure)
  --token-file FILE  a file holding the one-time token from POST /api/enrollments
  --token -          read the token from standard input
  --token TOKEN      the token itself: for tests only, as every local user sees it in ps and it stays in
                     shell history
  --url URL          this agent's URL as the panel reaches it, e.g. https://203.0.113.5:8420
  --config-dir DIR   the agent's configuration (default ${DEFAULT_CONFIG_DIR}: agent.env and secret)
  --interface NAME   the WireGuard interface (default: AGENT_INTERFACES of agent.env, else wg0)
  --panel-ca FILE    PEM certificate(s) to trust for the panel (a private CA or a self-signed panel)
  --insecure         allow a plain-http panel that is not on this host (the secret then crosses in clear)`;

export interface EnrollOptions {
  panel: URL;
  token: string;
  agentUrl: string;
  configDir: string;
  interfaceName: string | null;
  panelCa: string | null;
  insecure: boolean;
}

export class EnrollError extends Error {}

/** Standard input, whole: where `--token -` reads the token from. */
function readStandardInput(): string {
  return readFileSync(0, 'utf8');
}

/**
 * The enrollment token from exactly one of `--token-file`, `--token -` (standard input) or `--token`; the
 * first two keep it out of the process list (`/proc/<pid>/cmdline`) and shell history.
 */
function readToken(values: Record<string, string | boolean | undefined>, readStdin: () => string): string {
  const file = values['token-file'];
  const given = values.token;
  if (typeof file === 'string' && typeof given === 'string') {
    throw new EnrollError('give only one of --token-file and --token');
  }
  let token: string | undefined;
  let source = '--token';
  if (typeof file === 'string') {
    source = `--token-file ${file}`;
    try {
      token = readFileSync(file, 'utf8');
    } catch (error) {
      throw new EnrollError(`--token-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
    }
  } else if (given === '-') {
    source = '--token - (standard input)';
    token = readStdin();
  } else if (typeof given === 'string') {
    token = given;
  }
  if (token === undefined) throw new EnrollError('--token-file or --token is required');
  token = token.trim();
  if (token === '' || /\s/.test(token)) {
    throw new EnrollError(`${source}: expected one enrollment token (no spaces or line breaks)`);
  }
  return token;
}

/** Parses and checks the command line; every problem is an EnrollError naming the option. */
export function parseEnrollArgs(
  argv: readonly string[],
  readStdin: () => string = readStandardInput,
): EnrollOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        panel: { type: 'string' },
        token: { type: 'string' },
        'token-file': { type: 'string' },
        url: { type: 'string' },
        'config-dir': { type: 'string' },
        interface: { type: 'string' },
        'panel-ca': { type: 'string' },
        insecure: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new EnrollError((error as Error).message);
  }
  const required = (name: string) => {
    const value = values[name];
    if (typeof value !== 'string' || value === '') throw new EnrollError(`--${name} is required`);
    return value;
  };
  const panel = parseUrl(required('panel'), '--panel');
  const agentUrl = parseUrl(required('url'), '--url');
  const insecure = values.insecure === true;
  if (panel.protocol === 'http:' && !isLoopback(panel.hostname) && !insecure) {
    throw new EnrollError(
      `--panel must be https:// (the agent secret travels in the claim); http:// is allowed to a loopback address or with --insecure`,
    );
  }
  // Read last, so that a wrong command line never waits for standard input first.
  const token = readToken(values, readStdin);
  return {
    panel,
    token,
    agentUrl: agentUrl.toString().replace(/\/$/, ''),
    configDir: (values['config-dir'] as string | undefined) ?? DEFAULT_CONFIG_DIR,
    interfaceName: (values.interface as string | undefined) ?? null,
    panelCa: (values['panel-ca'] as string | undefined) ?? null,
    insecure,
  };
}

function parseUrl(value: string, option: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EnrollError(`${option}: "${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EnrollError(`${option}: expected an http:// or https:// URL`);
  }
  return url;
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** `KEY=value` lines of an env file (as systemd's EnvironmentFile reads them; comments and blanks kept aside). */
export function parseEnvFile(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) entries.set(match[1], match[2].replace(/^"(.*)"$/, '$1'));
  }
  return entries;
}

/** The file with `changes` applied: existing keys rewritten in place, new ones appended, the rest untouched. */
export function updateEnvFile(text: string, changes: ReadonlyMap<string, string>): string {
  const pending = new Map(changes);
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const updated = lines.map((line) => {
    const key = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (key === undefined || !pending.has(key)) return line;
    const value = pending.get(key)!;
    pending.delete(key);
    return `${key}=${value}`;
  });
  for (const [key, value] of pending) updated.push(`${key}=${value}`);
  return updated.join('\n') + '\n';
}

/** Writes through a temporary file and a rename, so the agent never reads half a file; mode set before. */
function writeAtomically(path: string, content: string, mode: number, groupOf: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  chmodSync(temporary, mode);
  // Root writes it for the agent's group (the installer's config directory is root:wgfleet-agent).
  if (process.getuid?.() === 0) chownSync(temporary, 0, statSync(groupOf).gid);
  renameSync(temporary, path);
}

function readSecret(path: string): string | null {
  try {
    const secret = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    return Buffer.byteLength(secret) >= MIN_SECRET_BYTES ? secret : null;
  } catch {
    return null;
  }
}

function wgValue(args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('wg', args, { timeout: 5000 }, (error, stdout) => resolve(error ? null : stdout.trim()));
  });
}

interface PanelAnswer {
  status: number;
  body: Record<string, unknown>;
}

function postJson(url: URL, body: unknown, ca: string | null): Promise<PanelAnswer> {
  const payload = Buffer.from(JSON.stringify(body));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
        timeout: 30_000,
        ...(ca ? { ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            parsed = { error: { message: text.slice(0, 500) } };
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('the panel did not answer within 30 s')));
    req.on('error', reject);
    req.end(payload);
  });
}

export interface EnrollResult {
  node: Record<string, unknown>;
  envFile: string;
  secretFile: string;
  secretCreated: boolean;
  /** Set when agent.env changed in a way the running agent only sees after a restart. */
  restartNeeded: boolean;
}

/**
 * Claims the token. The secret file is written before the claim (the agent must be able to answer the panel's
 * probe with it) and agent.env completed afterwards with what the panel answered (the node's interface).
 */
export async function enroll(options: EnrollOptions): Promise<EnrollResult> {
  mkdirSync(options.configDir, { recursive: true, mode: 0o750 });
  const envFile = join(options.configDir, ENV_FILE);
  const envText = existsSync(envFile) ? readFileSync(envFile, 'utf8') : '';
  const env = parseEnvFile(envText);
  const secretFile = env.get('AGENT_SECRET_FILE') || join(options.configDir, SECRET_FILE);
  let secret = readSecret(secretFile);
  const secretCreated = secret === null;
  if (secret === null) {
    secret = randomBytes(32).toString('hex');
    writeAtomically(secretFile, secret + '\n', 0o640, options.configDir);
  }

  const certFile = env.get('AGENT_TLS_CERT');
  if (options.agentUrl.startsWith('https:') && !certFile) {
    throw new EnrollError(`--url is https:// but ${envFile} sets no AGENT_TLS_CERT`);
  }
  const fingerprint = certFile ? new X509Certificate(readFileSync(certFile)).fingerprint256 : null;
  const configured = (env.get('AGENT_INTERFACES') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const iface = options.interfaceName ?? configured[0] ?? 'wg0';
  const [publicKey, listenPort] = await Promise.all([
    wgValue(['show', iface, 'public-key']),
    wgValue(['show', iface, 'listen-port']),
  ]);

  const answer = await postJson(
    new URL('/api/enrollments/claim', options.panel),
    {
      token: options.token,
      agent_url: options.agentUrl,
      agent_secret: secret,
      ...(fingerprint && options.agentUrl.startsWith('https:')
        ? { agent_cert_fingerprint: fingerprint }
        : {}),
      ...(publicKey ? { public_key: publicKey } : {}),
      ...(listenPort && Number(listenPort) > 0 ? { listen_port: Number(listenPort) } : {}),
    },
    options.panelCa ? readFileSync(options.panelCa, 'utf8') : null,
  );
  if (answer.status !== 201) {
    const error = answer.body.error as { message?: string } | undefined;
    throw new EnrollError(
      `the panel refused the enrollment (${answer.status}): ${error?.message ?? 'no reason given'}`,
    );
  }
  const node = answer.body;
  const nodeInterface = String(node.interface);
  const interfaces = configured.includes(nodeInterface) ? configured : [...configured, nodeInterface];
  const listen = env.get('AGENT_LISTEN') ?? `0.0.0.0:${new URL(options.agentUrl).port || '8420'}`;
  const changes = new Map([
    ['AGENT_SECRET_FILE', secretFile],
    ['AGENT_INTERFACES', interfaces.join(',')],
    ['AGENT_LISTEN', listen],
  ]);
  writeAtomically(envFile, updateEnvFile(envText, changes), 0o640, options.configDir);
  return {
    node,
    envFile,
    secretFile,
    secretCreated,
    restartNeeded: secretCreated || interfaces.length !== configured.length || !env.has('AGENT_LISTEN'),
  };
}

/** The command: prints what happened and what to do next; exit 0 on success, 1 otherwise. */
export async function runEnroll(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${ENROLL_USAGE}\n`);
    return 0;
  }
  try {
    const result = await enroll(parseEnrollArgs(argv));
    const { node } = result;
    process.stdout.write(
      [
        `enrolled: node ${String(node.name)} (${String(node.id)})`,
        `  interface    ${String(node.interface)}  public key ${String(node.public_key ?? 'not known yet')}`,
        `  agent URL    ${String(node.agent_url)}`,
        `  config       ${result.envFile} (secret in ${result.secretFile}${result.secretCreated ? ', new' : ''})`,
        result.restartNeeded
          ? '  next         restart the agent so it reads its new configuration: systemctl restart wgfleet-agent'
          : '  next         nothing: the running agent already has this configuration',
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    const message =
      error instanceof EnrollError ? error.message : `enrollment failed: ${(error as Error).message}`;
    process.stderr.write(`wgfleet-agent enroll: ${message}\n`);
    if (error instanceof EnrollError && /required|--panel|--url|Unknown option/.test(message)) {
      process.stderr.write(`${ENROLL_USAGE}\n`);
    }
    return 1;
  }
}
