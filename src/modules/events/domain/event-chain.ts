import { chainHash, chainPayload, ChainedEvent, GENESIS_HASH } from '@wgfleet/protocol';

/**
 * An event row as the chain reads it: `created_at` already ISO 8601 UTC with milliseconds; `actor` null (or
 * not read at all) on events recorded before events named their actor.
 */
export type ChainRow = Omit<ChainedEvent, 'seq' | 'hash' | 'actor'> & {
  position: string;
  actor?: ChainedEvent['actor'] | null;
};

/** The last sealed event. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface Seal {
  position: string;
  seq: number;
  hash: string;
}

/** The form the chain commits to and the export carries: sealed secrets as their digest. */
export function toChainedEvent(row: ChainRow, seal: ChainHead): ChainedEvent {
  return {
    seq: seal.seq,
    hash: seal.hash,
    aggregate_type: row.aggregate_type,
    aggregate_id: row.aggregate_id,
    version: row.version,
    type: row.type,
    payload: chainPayload(row.payload) as Record<string, unknown>,
    metadata: row.metadata,
    created_at: row.created_at,
    ...(row.actor ? { actor: row.actor } : {}),
  };
}

/** Chains `rows`, in the order given, after `head` (null: the log's first event comes next). */
export function sealRows(head: ChainHead | null, rows: readonly ChainRow[]): Seal[] {
  let seq = head?.seq ?? 0;
  let hash = head?.hash ?? GENESIS_HASH;
  return rows.map((row) => {
    seq += 1;
    hash = chainHash(hash, toChainedEvent(row, { seq, hash: '' }));
    return { position: row.position, seq, hash };
  });
}
