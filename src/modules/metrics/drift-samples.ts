import type { NodeScanRow } from '../drift';
import { DRIFT_STATUSES } from '../../common/domain/drift-status';

export interface Sample<L extends string> {
  labels: Record<L, string>;
  value: number;
}

export const DRIFT_KINDS = ['missing', 'mismatched', 'orphaned', 'unknown'] as const;

/** Drifted peers per node and kind; a node whose agent did not answer has no drift count to report. */
export function driftPeerSamples(rows: readonly NodeScanRow[]): Sample<'node' | 'kind'>[] {
  return rows.flatMap(({ node, status, summary }) =>
    summary && status !== 'unknown'
      ? DRIFT_KINDS.map((kind) => ({ labels: { node, kind }, value: summary[kind] }))
      : [],
  );
}

/** One 0/1 series per node and status, so a status change flips series rather than creating them. */
export function nodeStatusSamples(rows: readonly NodeScanRow[]): Sample<'node' | 'status'>[] {
  return rows.flatMap(({ node, status }) =>
    DRIFT_STATUSES.map((candidate) => ({
      labels: { node, status: candidate },
      value: candidate === status ? 1 : 0,
    })),
  );
}

/** Unix seconds of each scanned node's latest scan. */
export function lastScanSamples(rows: readonly NodeScanRow[]): Sample<'node'>[] {
  return rows.flatMap(({ node, lastScanAt }) =>
    lastScanAt ? [{ labels: { node }, value: lastScanAt.getTime() / 1000 }] : [],
  );
}
