/**
 * The traffic gate's own cost per node (docs/BENCHMARKS.md, Rollout gates): for `--nodes` nodes of `--peers`
 * peers each, the baseline (two counter samples → the active peers) and one bake round (a sample → the peers
 * retained, then the wave's verdict), timed over `--runs` runs. Pure arithmetic on the samples the runner
 * stores; the agent dumps that produce them cost what a drift scan's dump costs (drift benchmark).
 * Usage: node -r ts-node/register/transpile-only scripts/bench/rollout-gate-bench.ts [--nodes 1000]
 *        [--peers 1000] [--runs 5] [--json out.json]
 */
import { performance } from 'node:perf_hooks';
import {
  activePeers,
  CounterSample,
  countersAt,
  retainedIn,
  trafficGate,
} from '../../src/modules/rollouts/domain/gates';
import { BenchRow, emitRows, numberArg, percentile } from './bench-report';

const nodes = numberArg('nodes', 1000);
const peers = numberArg('peers', 1000);
const runs = numberArg('runs', 5);

function sample(node: number, round: number): CounterSample {
  const rx: Record<string, number> = {};
  // Every tenth peer passes traffic, like the fleet benchmark's --active-share 0.1.
  for (let p = 0; p < peers; p++) rx[`key-${node}-${p}`] = 1000 + (p % 10 === 0 ? round * 100 : 0);
  return { at: new Date().toISOString(), rx };
}

const samples = Array.from({ length: nodes }, (_, node) => [
  sample(node, 0),
  sample(node, 1),
  sample(node, 2),
]);
const baselineMs: number[] = [];
const bakeMs: number[] = [];
for (let run = 0; run < runs; run++) {
  let started = performance.now();
  const active = activePeers(
    Object.fromEntries(
      samples.map(([first, second], node) => [`n${node}`, [first, second] as [CounterSample, CounterSample]]),
    ),
  );
  baselineMs.push(performance.now() - started);
  started = performance.now();
  const rebased = countersAt(
    active,
    Object.fromEntries(samples.map(([, second], node) => [`n${node}`, second])),
  );
  const retained = new Set<string>();
  samples.forEach(([, , third], node) => {
    for (const key of retainedIn(`n${node}`, rebased, third)) retained.add(key);
  });
  const reading = trafficGate({ active, retained, minRetention: 90, bakeOver: true });
  bakeMs.push(performance.now() - started);
  if (reading.verdict !== 'pass' || reading.active !== nodes * Math.ceil(peers / 10))
    throw new Error(`unexpected reading ${JSON.stringify(reading)}`);
}

const row = (figure: string, ms: number[]): BenchRow => ({
  figure,
  target: `${nodes} nodes × ${peers} peers, median of ${runs}`,
  measured: (percentile(ms, 50) * 1000) / nodes,
  unit: 'µs/node',
  floor: null,
  ratio: null,
  ok: true,
});
emitRows([
  row('traffic gate: baseline (active peers)', baselineMs),
  row('traffic gate: bake start and one bake round', bakeMs),
]);
