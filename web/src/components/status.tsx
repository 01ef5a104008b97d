import { ago, dateTime, STATUS_LABEL, type FleetStatus } from '../format';
import type { DriftSummary, ScanEntry } from '../types';

const STATUS_ICON: Record<FleetStatus, string> = { drift: '▲', unknown: '?', in_sync: '✓', disabled: '–' };

export function StatusBadge({ status }: { status: FleetStatus }) {
  return (
    <span class={`badge status-${status}`}>
      <span aria-hidden="true">{STATUS_ICON[status]}</span> {STATUS_LABEL[status]}
    </span>
  );
}

const COUNTS: [keyof DriftSummary, string][] = [
  ['missing', 'missing'],
  ['mismatched', 'mismatched'],
  ['orphaned', 'orphaned'],
  ['unknown', 'unknown'],
  ['interface', 'interface'],
  ['pending', 'pending'],
];

/** Only the non-zero counts, so a node in sync reads as nothing to do. */
export function DriftCounts({ summary }: { summary: DriftSummary | undefined }) {
  if (!summary) return <span class="muted">—</span>;
  const shown = COUNTS.filter(([key]) => summary[key] > 0);
  if (!shown.length) return <span class="muted">nothing to repair</span>;
  return (
    <span class="counts">
      {shown.map(([key, label]) => (
        <span key={key} class={`count count-${key}`}>
          <strong>{summary[key]}</strong> {label}
        </span>
      ))}
    </span>
  );
}

/** The node's recent scans, oldest left: a flicker of drift shows even when it is over. */
export function ScanStrip({ scans, label }: { scans: ScanEntry[] | undefined; label: string }) {
  if (!scans) return <span class="strip strip-loading" aria-label={`${label}: loading recent scans`} />;
  const ordered = [...scans].reverse();
  const drifts = scans.filter((scan) => scan.status !== 'in_sync').length;
  return (
    <span
      class="strip"
      role="img"
      aria-label={`${label}: ${scans.length} recent scans, ${drifts} not in sync`}
    >
      {ordered.map((scan) => (
        <span
          key={scan.id}
          class={`tick status-${scan.status}`}
          title={`${STATUS_LABEL[scan.status]} · ${dateTime(scan.checked_at)} (${ago(scan.checked_at)})`}
        />
      ))}
    </span>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="alert alert-error" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}
