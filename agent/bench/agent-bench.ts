/**
 * Agent benchmark on real WireGuard: one wireguard-go interface driven by the built agent running as its own
 * process, compared with the raw `wg` commands measured in the same run (the floor).
 *
 *   - dump latency p50/p99 at 1,000 and 10,000 peers vs `wg show <iface> dump`
 *   - a 1,000-peer batch vs 1,000 single-peer POSTs vs raw `wg syncconf` of the same peers
 *   - 16 concurrent dumps of one 10,000-peer interface vs one raw dump
 *   - the agent's resident memory after the 10,000-peer dumps
 *
 * Needs root, wg and wireguard-go. Usage: npm run bench -w @wgfleet/agent -- [--runs 30] [--json out.json]
 * [--prefix wgbench] (the interface name's prefix, so runs beside other work on the host stay apart)
 * [--dumps-only] (skips the 1,000-peer writes, whose 1,000 single-peer POSTs take minutes on a busy host)
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { signRequest, type WirePeer } from '@wgfleet/protocol';
import { startAgentProcess, type RunningAgent } from '../test/support/agent-process';
import {
  createWgInterface,
  generateKeyPair,
  randomKey,
  uniqueInterfaceName,
  withSecretFile,
  type WgInterface,
} from '../test/support/wg-interface';

interface BenchRow {
  figure: string;
  /** The rule, e.g. "≤ 1.5× floor + 5 ms"; "-" for a figure reported without a target. */
  target: string;
  measured: number;
  unit: string;
  /** The raw `wg` baseline measured in the same run, when there is one. */
  floor: number | null;
  ratio: number | null;
  ok: boolean;
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const RUNS = option('runs', 30);
const PREFIX = process.argv.includes('--prefix')
  ? process.argv[process.argv.indexOf('--prefix') + 1]
  : 'wgbench';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function samples(count: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await timed(work));
  return times;
}

function wg(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('wg', args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr || error.message)) : resolve(stdout),
    ),
  );
}

/** Signed keep-alive HTTP calls that read the whole answer without parsing it (parsing is the caller's cost). */
class BenchClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 32 });
  constructor(private readonly running: RunningAgent) {}

  call(method: string, path: string, body?: unknown): Promise<number> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const url = new URL(this.running.url);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent: this.agent,
          headers: {
            ...signRequest(this.running.secret, method, path, payload),
            ...(payload ? { 'content-type': 'application/json' } : {}),
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () =>
            res.statusCode! < 300
              ? resolve(bytes)
              : reject(new Error(`${method} ${path} answered ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function makePeers(count: number): WirePeer[] {
  return Array.from({ length: count }, (_, i) => ({
    public_key: randomKey(),
    allowed_ips: [`10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`],
    preshared_key: randomKey(),
    persistent_keepalive: 25,
  }));
}

function configText(privateKey: string, listenPort: number, peers: WirePeer[]): string {
  const sections = peers.map(
    (peer) =>
      `[Peer]\nPublicKey = ${peer.public_key}\nPresharedKey = ${peer.preshared_key}\n` +
      `AllowedIPs = ${peer.allowed_ips.join(', ')}\nPersistentKeepalive = ${peer.persistent_keepalive}\n`,
  );
  return [`[Interface]\nPrivateKey = ${privateKey}\nListenPort = ${listenPort}\n`, ...sections].join('\n');
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

const ratioRow = (
  figure: string,
  target: string,
  measured: number,
  floor: number,
  limit: number,
): BenchRow => ({
  figure,
  target,
  measured,
  unit: 'ms',
  floor,
  ratio: measured / floor,
  ok: measured <= limit,
});

const infoRow = (figure: string, measured: number, unit: string, floor: number | null): BenchRow => ({
  figure,
  target: '-',
  measured,
  unit,
  floor,
  ratio: floor === null ? null : measured / floor,
  ok: true,
});

async function main(): Promise<void> {
  const keyPair = generateKeyPair();
  let iface: WgInterface | undefined;
  let agent: (RunningAgent & { pid: number }) | undefined;
  let client: BenchClient | undefined;
  const rows: BenchRow[] = [];
  try {
    iface = await createWgInterface(uniqueInterfaceName(PREFIX), { keyPair });
    const name = iface.name;
    agent = await startAgentProcess({ interfaces: [name], runtime: 'dist', logLevel: 'warn' });
    client = new BenchClient(agent);
    const api = client;
    const allPeers = makePeers(10_000);
    const syncRaw = (peers: WirePeer[]) =>
      withSecretFile(configText(keyPair.privateKey, iface!.listenPort, peers), (file) =>
        timed(() => wg(['syncconf', name, file])),
      );

    for (const count of [1000, 10_000]) {
      await syncRaw(allPeers.slice(0, count));
      const rawDump = () => wg(['show', name, 'dump']);
      const agentDump = () => api.call('GET', `/v1/wg/${name}/dump`);
      await samples(3, rawDump);
      await samples(3, agentDump);
      const raw = await samples(RUNS, rawDump);
      const viaAgent = await samples(RUNS, agentDump);
      const [rawP50, rawP99] = [percentile(raw, 50), percentile(raw, 99)];
      const label = count.toLocaleString('en');
      rows.push(
        ratioRow(
          `dump p50, ${label} peers`,
          '≤ 1.5× floor + 5 ms',
          percentile(viaAgent, 50),
          rawP50,
          1.5 * rawP50 + 5,
        ),
      );
      rows.push(infoRow(`dump p99, ${label} peers`, percentile(viaAgent, 99), 'ms', rawP99));
    }

    // Still at 10,000 peers. Raw dumps and rounds of 16 alternate, so a busy neighbour weighs on both alike.
    const rawSamples: number[] = [];
    const concurrent: number[] = [];
    for (let i = 0; i < 9; i++) {
      rawSamples.push(await timed(() => wg(['show', name, 'dump'])));
      concurrent.push(
        await timed(() =>
          Promise.all(Array.from({ length: 16 }, () => api.call('GET', `/v1/wg/${name}/dump`))),
        ),
      );
    }
    const oneRaw = percentile(rawSamples, 50);
    rows.push(
      ratioRow(
        '16 concurrent dumps, 10,000 peers',
        '≤ 3× floor (one raw dump)',
        percentile(concurrent, 50),
        oneRaw,
        3 * oneRaw,
      ),
    );

    // The agent hands memory back once large dumps stop (src/memory-reclaimer.ts): read it after a pause.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const memory = rssMb(agent.pid);
    rows.push({
      figure: 'agent RSS 0.5 s after 10,000-peer dumps',
      target: '≤ 70 MB',
      measured: memory.rss,
      unit: 'MB',
      floor: null,
      ratio: null,
      ok: memory.rss <= 70,
    });
    rows.push(infoRow('agent peak RSS during the dumps (VmHWM)', memory.peak, 'MB', null));

    if (!process.argv.includes('--dumps-only')) {
      // 1,000-peer writes, each from an empty interface (after the dumps, so they do not weigh on the RSS figure;
      // the RSS at the end of the run is reported too).
      const batchPeers = allPeers.slice(0, 1000);
      const rawSync: number[] = [];
      const batch: number[] = [];
      for (let run = 0; run < 3; run++) {
        await syncRaw([]);
        rawSync.push(await syncRaw(batchPeers));
        await syncRaw([]);
        batch.push(
          await timed(() => api.call('POST', `/v1/wg/${name}/batch`, { upsert: batchPeers, remove: [] })),
        );
      }
      await syncRaw([]);
      const singles = await timed(async () => {
        for (const peer of batchPeers) await api.call('POST', `/v1/wg/${name}/peers`, peer);
      });
      const rawSyncMs = percentile(rawSync, 50);
      rows.push(
        ratioRow(
          '1,000-peer batch (median of 3)',
          '≤ 2× floor (raw wg syncconf)',
          percentile(batch, 50),
          rawSyncMs,
          2 * rawSyncMs,
        ),
      );
      rows.push(infoRow('1,000 single-peer POSTs', singles, 'ms', rawSyncMs));

      await new Promise((resolve) => setTimeout(resolve, 500));
      rows.push(infoRow('agent RSS 0.5 s after the writes, end of run', rssMb(agent.pid).rss, 'MB', null));
    }
  } finally {
    client?.close();
    await agent?.stop().catch(() => undefined);
    await iface?.destroy();
  }

  const round = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(2));
  console.table(
    rows.map((row) => ({
      figure: row.figure,
      target: row.target,
      measured: `${round(row.measured)} ${row.unit}`,
      floor: row.floor === null ? '' : `${round(row.floor)} ${row.unit}`,
      ratio: row.ratio === null ? '' : `${round(row.ratio)}x`,
      ok: row.ok ? 'yes' : 'NO',
    })),
  );
  const jsonIndex = process.argv.indexOf('--json');
  if (jsonIndex >= 0 && process.argv[jsonIndex + 1]) {
    writeFileSync(process.argv[jsonIndex + 1], JSON.stringify(rows, null, 2));
  }
  if (rows.some((row) => !row.ok)) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
