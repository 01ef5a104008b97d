/** A wave as the caller asks for it: a cumulative share of the rollout's nodes, or exactly these nodes. */
export type WaveSpec = { percent: number } | { node_ids: string[] } | { count: number };

/** One canary node, then up to 10 %, 50 % and the rest (docs/OPERATIONS.md, Rollouts). */
export const DEFAULT_WAVES: readonly WaveSpec[] = [
  { count: 1 },
  { percent: 10 },
  { percent: 50 },
  { percent: 100 },
];

export class WavePlanError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Splits `nodeIds` (already in rollout order) into waves. A percent is cumulative: `{percent: 10}` takes the
 * nodes up to 10 % of the whole (rounded up), at least one when any remain; explicit node_ids waves take those
 * nodes wherever they are in the order. Waves that would be empty are dropped, and nodes no wave took form a
 * last wave, so every node is in exactly one wave.
 */
export function planWaves(
  nodeIds: readonly string[],
  specs: readonly WaveSpec[] = DEFAULT_WAVES,
): string[][] {
  const all = new Set(nodeIds);
  const pinned = new Set<string>();
  specs.forEach((spec, index) => {
    if (!('node_ids' in spec)) return;
    for (const id of spec.node_ids) {
      if (!all.has(id))
        throw new WavePlanError(`waves[${index}].node_ids`, `node ${id} is not among the rollout's nodes`);
      if (pinned.has(id))
        throw new WavePlanError(`waves[${index}].node_ids`, `node ${id} is in more than one wave`);
      pinned.add(id);
    }
  });
  const free = nodeIds.filter((id) => !pinned.has(id));
  const waves: string[][] = [];
  let taken = 0;
  specs.forEach((spec, index) => {
    if ('node_ids' in spec) {
      waves.push([...spec.node_ids]);
      return;
    }
    const target =
      'count' in spec ? taken + spec.count : Math.ceil((percentOf(spec.percent, index) / 100) * free.length);
    const upTo = Math.min(free.length, Math.max(target, taken + 1));
    waves.push(free.slice(taken, upTo));
    taken = Math.max(taken, upTo);
  });
  if (taken < free.length) waves.push(free.slice(taken));
  return waves.filter((wave) => wave.length > 0);
}

function percentOf(percent: number, index: number): number {
  if (!Number.isFinite(percent) || percent <= 0 || percent > 100)
    throw new WavePlanError(`waves[${index}].percent`, 'percent must be above 0 and at most 100');
  return percent;
}

/**
 * Rollout order: nodes grouped by the value of `groupBy` (nodes without it last), groups in the order of
 * their first appearance in `preferred` when given, else by value; by name inside a group.
 */
export function orderNodes<N extends { id: string; name: string; group?: string | null }>(
  nodes: readonly N[],
  preferred: readonly string[] = [],
): string[] {
  const rank = (group: string | null | undefined): [number, string] => {
    if (group === null || group === undefined) return [Number.MAX_SAFE_INTEGER, ''];
    const at = preferred.indexOf(group);
    return [at === -1 ? preferred.length : at, group];
  };
  return [...nodes]
    .sort((a, b) => {
      const [ra, ga] = rank(a.group);
      const [rb, gb] = rank(b.group);
      return ra - rb || compare(ga, gb) || compare(a.name, b.name);
    })
    .map((node) => node.id);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
