import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { percentile } from '../../../scripts/bench/bench-report';
import { Api, ApiAnswer } from './api';
import { NodeRef } from './fleet';

export interface LoadOptions {
  clients: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers by status; "network" counts requests that got no HTTP answer at all. */
  statuses: Record<string, number>;
  /** The first few 5xx answers and network errors, for the report. */
  failures: string[];
  /** p50 / p99 latency in ms per kind of request. */
  byOperation: Record<string, { requests: number; p50Ms: number; p99Ms: number }>;
}

interface ClientState {
  ownPeer: { id: string; version: number } | null;
  sequence: number;
}

type Operation = (api: Api, node: NodeRef, state: ClientState) => Promise<ApiAnswer>;
type NamedOperation = [weight: number, name: string, run: Operation];

/** What an API client of a fleet does, by weight: mostly reads, a fair share of peer writes. */
const OPERATIONS: NamedOperation[] = [
  [30, 'list peers', (api, node) => api.get(`/api/nodes/${node.id}/peers?limit=50`)],
  [10, 'list nodes', (api) => api.get('/api/nodes')],
  [5, 'get node', (api, node) => api.get(`/api/nodes/${node.id}`)],
  [10, 'list events', (api) => api.get('/api/events?limit=100')],
  [10, 'scan history', (api, node) => api.get(`/api/drift/nodes/${node.id}/history?limit=20`)],
  [
    15,
    'create peer',
    async (api, node, state) => {
      const answer = await api.post(`/api/nodes/${node.id}/peers`, { name: `load-${state.sequence++}` });
      if (answer.status === 201) state.ownPeer = { id: answer.body.id, version: answer.body.version };
      return answer;
    },
  ],
  [
    10,
    'update peer',
    async (api, node, state) => {
      if (!state.ownPeer) return api.get(`/api/nodes/${node.id}/peers?limit=10`);
      const answer = await api.patch(`/api/peers/${state.ownPeer.id}`, {
        persistent_keepalive: 10 + (state.sequence++ % 50),
        version: state.ownPeer.version,
      });
      if (answer.status === 200) state.ownPeer.version = answer.body.version;
      return answer;
    },
  ],
  [
    10,
    'get peer',
    (api, node, state) =>
      state.ownPeer ? api.get(`/api/peers/${state.ownPeer.id}`) : api.get(`/api/nodes/${node.id}`),
  ],
];
const TOTAL_WEIGHT = OPERATIONS.reduce((sum, [weight]) => sum + weight, 0);

function pickOperation(): NamedOperation {
  let roll = Math.random() * TOTAL_WEIGHT;
  for (const operation of OPERATIONS) {
    roll -= operation[0];
    if (roll < 0) return operation;
  }
  return OPERATIONS[0];
}

/** `clients` concurrent API clients, each sending its next request as soon as the last is answered. */
export async function runLoad(api: Api, nodes: NodeRef[], options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const latenciesByOperation = new Map<string, number[]>();
  const statuses: Record<string, number> = {};
  const failures: string[] = [];
  const count = (status: string, failure?: string) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (failure && failures.length < 20) failures.push(failure);
  };
  const started = performance.now();
  const deadline = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      const state: ClientState = { ownPeer: null, sequence: client * 1_000_000 };
      while (performance.now() < deadline) {
        const node = nodes[Math.floor(Math.random() * nodes.length)];
        const sent = performance.now();
        try {
          const [, name, run] = pickOperation();
          const answer = await run(api, node, state);
          const latency = performance.now() - sent;
          latencies.push(latency);
          latenciesByOperation.set(name, [...(latenciesByOperation.get(name) ?? []), latency]);
          count(
            String(answer.status),
            answer.status >= 500 ? `${answer.status}: ${answer.text.slice(0, 200)}` : undefined,
          );
        } catch (error) {
          count('network', String(error));
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    seconds,
    throughput: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statuses,
    failures,
    byOperation: Object.fromEntries(
      [...latenciesByOperation].map(([name, values]) => [
        name,
        { requests: values.length, p50Ms: percentile(values, 50), p99Ms: percentile(values, 99) },
      ]),
    ),
  };
}

export function serverErrors(result: LoadResult): number {
  return Object.entries(result.statuses)
    .filter(([status]) => status === 'network' || Number(status) >= 500)
    .reduce((sum, [, count]) => sum + count, 0);
}

/** Scheduled scans stored since `since`, read straight from PostgreSQL. */
export async function scheduledScansSince(databaseUrl: string, since: Date): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ count: string }>(
      "select count(*) from drift_scans where trigger = 'schedule' and checked_at > $1",
      [since],
    );
    return Number(rows[0].count);
  } finally {
    await db.end();
  }
}
