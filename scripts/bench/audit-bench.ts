/**
 * What the audit chain costs. (1) Peer creation through the REST API with the sealer on and off, alternating
 * in one run on fresh databases, and the panel's own full check of the chain those creations made. (2) The
 * offline verifier (pure code, no database) over synthetic events, the way `wgfleet audit verify` reads them.
 * Needs `npm run build`. Usage: npx ts-node --transpile-only scripts/bench/audit-bench.ts
 *   [--peers 2000] [--clients 8] [--rounds 2] [--events 1000000]
 */
import {
  chainHash,
  ChainedEvent,
  ChainVerifier,
  GENESIS_HASH,
  newSigningKeyPair,
  signCheckpoint,
} from '@wgfleet/protocol';
import { performance } from 'node:perf_hooks';
import { BenchRow, emitRows, numberArg } from './bench-report';
import { spawnPanel } from './panel-process';
import { createPeersThroughApi } from './peer-create-bench';

const SYNTHETIC_BATCH = 10_000;

async function creationRate(sealIntervalMs: number, peers: number, clients: number): Promise<number> {
  const panel = await spawnPanel({ AUDIT_SEAL_INTERVAL_MS: String(sealIntervalMs) });
  try {
    const run = await createPeersThroughApi(panel, peers, clients);
    if (run.failures > 0) throw new Error(`${run.failures} creations failed`);
    return peers / run.seconds;
  } finally {
    await panel.stop();
  }
}

/** Events as the export carries them, chained, a batch at a time (made outside the timed part). */
function syntheticBatch(previous: { seq: number; hash: string }, count: number): string[] {
  const lines: string[] = [];
  let { seq, hash } = previous;
  for (let i = 0; i < count; i++) {
    seq += 1;
    const event: Omit<ChainedEvent, 'hash'> = {
      seq,
      aggregate_type: 'peer',
      aggregate_id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      version: 1,
      type: 'peer.created',
      payload: {
        name: `peer-${seq}`,
        node_id: '00000000-0000-4000-8000-000000000000',
        public_key: Buffer.alloc(32, seq % 251).toString('base64'),
        allowed_ips: [`10.${(seq >> 16) & 255}.${(seq >> 8) & 255}.${seq & 255}/32`],
        private_key_sealed: `sha256:${'ab'.repeat(32)}`,
      },
      metadata: { actor_token_id: null, request_id: `req-${seq}` },
      created_at: new Date(1_796_600_000_000 + seq).toISOString(),
    };
    hash = chainHash(hash, event);
    lines.push(JSON.stringify({ kind: 'event', ...event, hash }));
  }
  previous.seq = seq;
  previous.hash = hash;
  return lines;
}

function verificationRate(events: number): { perSecond: number; ok: boolean } {
  const keys = newSigningKeyPair();
  const verifier = new ChainVerifier([keys.publicKey]);
  const head = { seq: 0, hash: GENESIS_HASH };
  let timed = 0;
  let checkpointed = false;
  while (head.seq < events) {
    const lines = syntheticBatch(head, Math.min(SYNTHETIC_BATCH, events - head.seq));
    if (!checkpointed) {
      // One checkpoint on the first batch's last event, given first as the export gives it.
      const last = JSON.parse(lines[lines.length - 1]) as ChainedEvent;
      verifier.addCheckpoint(
        signCheckpoint(keys.privateKey, keys.keyId, {
          seq: last.seq,
          hash: last.hash,
          time: last.created_at,
        }),
      );
      checkpointed = true;
    }
    const t0 = performance.now();
    for (const line of lines) verifier.add(JSON.parse(line));
    timed += performance.now() - t0;
  }
  const t0 = performance.now();
  const verdict = verifier.finish();
  timed += performance.now() - t0;
  return { perSecond: events / (timed / 1000), ok: verdict.ok };
}

async function main(): Promise<void> {
  const peers = numberArg('peers', 2000);
  const clients = numberArg('clients', 8);
  const rounds = numberArg('rounds', 2);
  const events = numberArg('events', 1_000_000);
  // The first panel of a run is slow whichever side it is (a cold database and page cache): not counted.
  await creationRate(1000, Math.min(peers, 500), clients);
  const withChain: number[] = [];
  const without: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternating which goes first, so a warming database or a neighbour's load does not favour one side.
    if (round % 2 === 0) {
      without.push(await creationRate(0, peers, clients));
      withChain.push(await creationRate(1000, peers, clients));
    } else {
      withChain.push(await creationRate(1000, peers, clients));
      without.push(await creationRate(0, peers, clients));
    }
    console.error(
      `round ${round + 1}: without ${without.at(-1)!.toFixed(0)}/s, with ${withChain.at(-1)!.toFixed(0)}/s`,
    );
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const ratio = mean(withChain) / mean(without);
  const verification = verificationRate(events);
  const rows: BenchRow[] = [
    {
      figure: `peer creation via REST with the audit chain (${peers} peers, ${clients} clients, mean of ${rounds})`,
      target: '>= 90% of without',
      measured: mean(withChain),
      unit: 'peers/s',
      floor: mean(without),
      ratio,
      ok: ratio >= 0.9,
    },
    {
      figure: `offline verification of ${events} synthetic events (parse + chain + 1 checkpoint)`,
      target: '-',
      measured: verification.perSecond,
      unit: 'events/s',
      floor: null,
      ratio: null,
      ok: verification.ok,
    },
  ];
  emitRows(rows);
}

void main();
