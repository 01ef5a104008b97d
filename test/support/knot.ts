import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KnotServer {
  /** "address:port" as a cluster's dns.server takes it. */
  server: string;
  address: string;
  port: number;
  zone: string;
  key: { name: string; algorithm: 'hmac-sha256'; secret: string };
  /** What `kdig` answers for `name`'s A and AAAA sets, sorted: an outside view of the zone. */
  dig(name: string): string[];
  stop(): Promise<void>;
}

export interface KnotOptions {
  /** Where the panel (and kdig) reach it; default 127.0.0.1. */
  address?: string;
  /** More addresses to listen on, e.g. one a client namespace reaches. */
  alsoListen?: string[];
  port: number;
  zone?: string;
  /** Run knotd inside this network namespace (`address` must be reachable from the host). */
  namespace?: string;
}

/**
 * A real knotd on `address:port` serving one zone from a temp dir, which accepts RFC 2136 updates signed with a
 * fresh HMAC-SHA256 TSIG key (and only those): the DNS server the cluster publishing tests talk to.
 */
export async function startKnot({
  address = '127.0.0.1',
  port,
  alsoListen = [],
  zone = 'wgfleet.test',
  namespace,
}: KnotOptions): Promise<KnotServer> {
  const dir = mkdtempSync(join(tmpdir(), 'wgfleet-knot-'));
  mkdirSync(join(dir, 'db'));
  const key = {
    name: 'wgfleet-update',
    algorithm: 'hmac-sha256' as const,
    secret: randomBytes(32).toString('base64'),
  };
  writeFileSync(
    join(dir, `${zone}.zone`),
    [
      `$ORIGIN ${zone}.`,
      '$TTL 60',
      `@ SOA ns.${zone}. hostmaster.${zone}. 1 3600 600 86400 5`,
      `@ NS ns.${zone}.`,
      `ns A ${address}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'knot.conf'),
    [
      'server:',
      `  rundir: "${dir}"`,
      `  listen: [ ${[address, ...alsoListen].map((a) => `${a}@${port}`).join(', ')} ]`,
      'database:',
      `  storage: "${dir}/db"`,
      'log:',
      '  - target: stderr',
      '    any: warning',
      'key:',
      `  - id: ${key.name}`,
      `    algorithm: ${key.algorithm}`,
      `    secret: ${key.secret}`,
      'acl:',
      '  - id: panel-update',
      `    key: ${key.name}`,
      '    action: update',
      'zone:',
      `  - domain: ${zone}`,
      `    storage: "${dir}"`,
      `    file: "${zone}.zone"`,
      '    acl: panel-update',
      '    zonefile-sync: -1',
      '    journal-content: changes',
      '',
    ].join('\n'),
  );
  const knotd = ['knotd', '-c', join(dir, 'knot.conf')];
  // `ip netns exec` execs knotd, so the child is knotd itself and a signal to it stops the server.
  const command = namespace ? ['ip', 'netns', 'exec', namespace, ...knotd] : knotd;
  const child: ChildProcess = spawn(command[0], command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const dig = (name: string): string[] => {
    const out = ['A', 'AAAA'].map((type) =>
      execFileSync(
        'kdig',
        [`@${address}`, '-p', String(port), '+short', '+norec', '+time=1', '+retry=0', name, type],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      ),
    );
    return out
      .join('\n')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .sort();
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`knotd exited: ${stderr}`);
    try {
      dig(`ns.${zone}`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`knotd did not answer: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    server: `${address}:${port}`,
    address,
    port,
    zone,
    key,
    dig,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
