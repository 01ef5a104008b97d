/** A public key shortened for a table: enough to tell keys apart, the full key is in `-o json`. */
export function shortKey(key: string | null | undefined): string {
  if (!key) return '-';
  return key.length > 12 ? key.slice(0, 10) + '…' : key;
}

/** The one wording of a drift mismatch (docs/API.md): what the panel expects, then what the node has. */
export const DRIFT_VALUES_LABEL = 'expected (panel) → actual (node)';

/** The one wording of a planned change: the node's value now, then after the repair. */
export const PLAN_VALUES_LABEL = 'now → after';

export function driftValues(mismatch: { field: string; expected: unknown; actual: unknown }): string {
  return `${mismatch.field}: ${JSON.stringify(mismatch.expected)} → ${JSON.stringify(mismatch.actual)}`;
}

export function planValues(change: { field: string; from: unknown; to: unknown }): string {
  return `${change.field}: ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`;
}
