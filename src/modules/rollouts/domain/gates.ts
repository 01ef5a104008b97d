/** Received-byte counters of one node's peers at one moment, by public key. */
export interface CounterSample {
  at: string;
  rx: Record<string, number>;
}

/** A wave's peers seen passing traffic before the change: node id → public key → received bytes then. */
export type ActivePeers = Record<string, Record<string, number>>;

/**
 * A peer passes traffic between two samples when its received bytes rose. A counter that went down was reset
 * (the peer was removed and added again), so any bytes after the reset count as traffic.
 */
export function passedTraffic(before: number, after: number): boolean {
  return after > before || (after < before && after > 0);
}

/**
 * The peers of a wave passing traffic just before the change: rising between the two baseline samples of
 * each node. Their latest counters are kept, for the bake to compare against.
 */
export function activePeers(baseline: Record<string, [CounterSample, CounterSample]>): ActivePeers {
  const active: ActivePeers = {};
  for (const [nodeId, [first, second]] of Object.entries(baseline)) {
    const ofNode: Record<string, number> = {};
    for (const [key, rx] of Object.entries(second.rx)) {
      const earlier = first.rx[key];
      if (earlier !== undefined && passedTraffic(earlier, rx)) ofNode[key] = rx;
    }
    active[nodeId] = ofNode;
  }
  return active;
}

/**
 * The active peers' counters as the change left them, from the first sample of the bake: traffic that passed
 * between the baseline and the apply must not count as traffic after the change.
 */
export function countersAt(active: ActivePeers, samples: Record<string, CounterSample>): ActivePeers {
  return Object.fromEntries(
    Object.entries(active).map(([nodeId, ofNode]) => [
      nodeId,
      Object.fromEntries(Object.entries(ofNode).map(([key, rx]) => [key, samples[nodeId]?.rx[key] ?? rx])),
    ]),
  );
}

export interface TrafficReading {
  /** Peers passing traffic before the change. */
  active: number;
  /** Of those, the ones seen passing traffic since the change (`<node_id>/<public_key>`). */
  passing: number;
  /** passing / active in percent (100 with no active peers). */
  retention: number;
  required: number;
  verdict: 'pass' | 'fail' | 'baking';
  /** Why, in words the console and CLI show. */
  detail: string;
}

/**
 * Traffic retention of a wave after its change. `retained` holds the active peers seen passing traffic in any
 * sample since the change; it only grows during the bake, so the verdict is given when the bake is over: a
 * retention below the bar is certain only then, and a pass waits for the whole bake as well.
 */
export function trafficGate(input: {
  active: ActivePeers;
  retained: ReadonlySet<string>;
  minRetention: number;
  bakeOver: boolean;
}): TrafficReading {
  const active = Object.values(input.active).reduce((sum, ofNode) => sum + Object.keys(ofNode).length, 0);
  const passing = input.retained.size;
  const retention = active === 0 ? 100 : (passing / active) * 100;
  const required = input.minRetention;
  const base = { active, passing, retention: round(retention), required };
  if (active === 0)
    return {
      ...base,
      verdict: input.bakeOver ? 'pass' : 'baking',
      detail: 'no peer of the wave was passing traffic before the change',
    };
  const met = retention >= required;
  const detail = `${passing} of ${active} active peers passing traffic (${round(retention)} %, at least ${required} % required)`;
  if (!input.bakeOver) return { ...base, verdict: 'baking', detail };
  return { ...base, verdict: met ? 'pass' : 'fail', detail };
}

/**
 * The active peers a new sample of one node shows passing traffic since the change, as `<node_id>/<key>`.
 * Only the node's active peers are looked at: a node's inactive peers cost nothing here.
 */
export function retainedIn(nodeId: string, active: ActivePeers, sample: CounterSample): string[] {
  const retained: string[] = [];
  for (const [key, before] of Object.entries(active[nodeId] ?? {})) {
    const rx = sample.rx[key];
    if (rx !== undefined && passedTraffic(before, rx)) retained.push(`${nodeId}/${key}`);
  }
  return retained;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
