import type { DriftStatus } from './types';

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "12 s ago", "3 min ago": how fresh a scan is, at a glance. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (Math.abs(seconds) < 60) return relative.format(seconds, 'second');
  if (Math.abs(seconds) < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (Math.abs(seconds) < 86400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86400), 'day');
}

export function dateTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export type FleetStatus = DriftStatus | 'disabled';

export const STATUS_LABEL: Record<FleetStatus, string> = {
  drift: 'Drift',
  unknown: 'Unknown',
  in_sync: 'In sync',
  disabled: 'Disabled',
};

/** Drift first, then unknown: what needs a person comes to the top. */
export const STATUS_ORDER: Record<FleetStatus, number> = { drift: 0, unknown: 1, in_sync: 2, disabled: 3 };

export function shortKey(key: string | null | undefined): string {
  return key ? `${key.slice(0, 10)}…` : '—';
}

export function showValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  return String(value);
}

/** The one wording of a drift mismatch (docs/API.md): what the panel expects, then what the node has. */
export const DRIFT_VALUES_LABEL = 'expected (panel) → actual (node)';

/** The one wording of a planned change: the node's value now, then after the repair. */
export const PLAN_VALUES_LABEL = 'now → after';

/** What the repair keeps of the node's unknown peers, said beside the option that would remove them. */
export function unknownKeptNote(count: number): string | null {
  if (count === 0) return null;
  return count === 1
    ? '1 unknown peer kept: adopt it or remove unknown peers'
    : `${count} unknown peers kept: adopt them or remove unknown peers`;
}

/** The peers a plan leaves on the node that drift still reports; null when none. */
export function keptNote(plan: { kept?: { reason: string }[] }): string | null {
  const kept = plan.kept ?? [];
  const unknown = unknownKeptNote(kept.filter((peer) => peer.reason === 'unknown').length);
  const orphaned = kept.length - kept.filter((peer) => peer.reason === 'unknown').length;
  const notes = [
    unknown,
    orphaned === 0
      ? null
      : `${orphaned} orphaned peer${orphaned === 1 ? '' : 's'} kept: remove orphaned peers`,
  ].filter((note) => note !== null);
  return notes.length > 0 ? notes.join('; ') : null;
}

/**
 * Why a node could not be read, in words: the API starts it with a reason code (docs/API.md), e.g.
 * "interface_not_ready: …" reads "interface not ready: …".
 */
export function unknownReason(error: string | null | undefined): string {
  if (!error) return 'not reachable';
  return error.replace(/^([a-z]+(?:_[a-z0-9]+)*):/, (_, code: string) => `${code.replace(/_/g, ' ')}:`);
}
