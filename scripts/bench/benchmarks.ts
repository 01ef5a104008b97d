/** Every benchmark `npm run bench` runs, in order, with the flags its script reads (checked by bench-args.ts). */
import type { Benchmark } from './bench-args';

const TS = ['--require', 'ts-node/register/transpile-only'];

export const BENCHMARKS: Benchmark[] = [
  {
    name: 'agent',
    command: ['--import', 'tsx', 'agent/bench/agent-bench.ts'],
    flags: { runs: 'number', prefix: 'text', 'dumps-only': 'switch' },
  },
  {
    name: 'peer-create',
    command: [...TS, 'scripts/bench/peer-create-bench.ts'],
    flags: { peers: 'number', clients: 'number' },
  },
  {
    name: 'drift',
    command: [...TS, 'scripts/bench/drift-bench.ts'],
    flags: { nodes: 'number', peers: 'number', interfaces: 'number', concurrency: 'number', runs: 'number' },
    // 100 wireguard-go processes saturate a 2-core box by themselves: 100 nodes share 10 interfaces here.
    defaults: ['--interfaces', '10'],
  },
  { name: 'reconcile', command: [...TS, 'scripts/bench/reconcile-bench.ts'], flags: { peers: 'number' } },
  {
    name: 'rollout-gates',
    command: [...TS, 'scripts/bench/rollout-gate-bench.ts'],
    flags: { nodes: 'number', peers: 'number', runs: 'number' },
  },
  {
    name: 'sync',
    command: [...TS, 'scripts/bench/sync-bench.ts'],
    flags: { peers: 'number', clients: 'number', prefix: 'text' },
  },
  {
    name: 'load',
    command: [...TS, 'scripts/bench/load-bench.ts'],
    flags: { clients: 'number', duration: 'number', nodes: 'number', interval: 'number' },
  },
  {
    name: 'console',
    command: [...TS, 'scripts/bench/console-bench.ts'],
    flags: { nodes: 'number', runs: 'number' },
  },
  { name: 'enforcement', command: [...TS, 'scripts/bench/enforcement-bench.ts'], flags: { peers: 'number' } },
  {
    name: 'usage-accounting',
    command: [...TS, 'scripts/bench/usage-accounting-bench.ts'],
    flags: { nodes: 'number', peers: 'number', runs: 'number' },
  },
  {
    name: 'audit',
    command: [...TS, 'scripts/bench/audit-bench.ts'],
    flags: { peers: 'number', clients: 'number', rounds: 'number', events: 'number' },
  },
  // 1,000 simulated nodes × 1,000 peers, one panel then two: several minutes (scheduled scans run on the clock).
  {
    name: 'fleet',
    command: [...TS, 'scripts/bench/fleet-bench.ts'],
    flags: {
      nodes: 'number',
      peers: 'number',
      'api-peers': 'number',
      interval: 'number',
      slots: 'number',
      clients: 'number',
      'active-share': 'number',
      'drifted-every': 'number',
      'create-seconds': 'number',
      'create-only': 'switch',
      rollout: 'switch',
      'memory-sample': 'text',
    },
  },
];
