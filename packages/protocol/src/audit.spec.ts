import {
  canonicalJson,
  chainHash,
  chainPayload,
  ChainedEvent,
  ChainVerifier,
  Checkpoint,
  ExportLine,
  GENESIS_HASH,
  newSigningKeyPair,
  signCheckpoint,
} from './audit';
import type { ActorRef } from './actor';
import { NodeReceipt, signReceipt } from './receipts';

const keys = newSigningKeyPair();
const ACTOR: ActorRef = { kind: 'token', id: 'tok-1', name: 'ci', via: 'cli', request_id: null };

/** `count` events; those from `actorsFrom` on name their actor, as events do since actors were recorded. */
function chain(count: number, actorsFrom = Infinity): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let previous = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const event = {
      seq,
      aggregate_type: 'peer',
      aggregate_id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
      version: 1,
      type: 'peer.created',
      payload: { name: `peer-${seq}`, private_key_sealed: `sha256:${'ab'.repeat(32)}` },
      metadata: { actor_token_id: null, request_id: `r${seq}` },
      created_at: new Date(Date.UTC(2026, 11, 7, 0, 0, seq)).toISOString(),
      ...(seq >= actorsFrom ? { actor: { ...ACTOR, request_id: `r${seq}` } } : {}),
    };
    previous = chainHash(previous, event);
    events.push({ ...event, hash: previous });
  }
  return events;
}

function checkpointAt(events: ChainedEvent[], seq: number, signer = keys): Checkpoint {
  return signCheckpoint(signer.privateKey, signer.keyId, {
    seq,
    hash: events[seq - 1].hash,
    time: '2026-12-07T01:00:00.000Z',
  });
}

function verify(events: ChainedEvent[], checkpoints: Checkpoint[] = [], pinned?: string[]) {
  const verifier = new ChainVerifier(pinned);
  const lines: ExportLine[] = [
    { kind: 'key', key_id: keys.keyId, public_key: keys.publicKey },
    ...checkpoints.map((c) => ({ kind: 'checkpoint' as const, ...c })),
    ...events.map((e) => ({ kind: 'event' as const, ...e })),
  ];
  for (const line of lines) verifier.add(line);
  return verifier.finish();
}

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units, drops whitespace and writes numbers as ECMAScript does', () => {
    expect(canonicalJson({ b: [1e21, 0.1, -0, 'x\u000f'], a: { d: null, c: true }, '\u00e9': 1, Z: 2 })).toBe(
      '{"Z":2,"a":{"c":true,"d":null},"b":[1e+21,0.1,0,"x\\u000f"],"\u00e9":1}',
    );
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/NaN/);
  });
});

describe('chainPayload', () => {
  it('replaces sealed ciphertext by its digest, at any depth, and keeps a digest as it is', () => {
    const once = chainPayload({ a: { psk_sealed: 'v1.cipher' }, b_sealed: null, c: 'plain' });
    expect(once).toEqual({
      a: { psk_sealed: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
      b_sealed: null,
      c: 'plain',
    });
    expect(chainPayload(once)).toEqual(once);
  });
});

describe('ChainVerifier', () => {
  const events = chain(40);
  const checkpoints = [checkpointAt(events, 20), checkpointAt(events, 40)];

  it('accepts an intact chain with its checkpoints', () => {
    expect(verify(events, checkpoints)).toEqual({
      ok: true,
      events: 40,
      headSeq: 40,
      headHash: events[39].hash,
      checkpoints: 2,
    });
  });

  it('names an edited event', () => {
    const edited = events.map((e) => (e.seq === 7 ? { ...e, payload: { ...e.payload, name: 'x' } } : e));
    expect(verify(edited, checkpoints)).toMatchObject({ ok: false, seq: 7, problem: 'edited' });
  });

  it('names a deleted event', () => {
    expect(verify(events.filter((e) => e.seq !== 12))).toMatchObject({
      ok: false,
      seq: 12,
      problem: 'deleted',
    });
  });

  it('names reordered events, whose seq were swapped', () => {
    const swapped = events.map((e) =>
      e.seq === 9 ? { ...events[9], seq: 9 } : e.seq === 10 ? { ...events[8], seq: 10 } : e,
    );
    expect(verify(swapped)).toMatchObject({
      ok: false,
      seq: 9,
      problem: 'reordered',
      detail: 'the event now at seq 10 belongs at seq 9',
    });
  });

  it('names the first missing seq of a log truncated after a checkpoint', () => {
    expect(verify(events.slice(0, 33), checkpoints)).toMatchObject({
      ok: false,
      seq: 34,
      problem: 'truncated',
    });
  });

  it('names the checkpoint that a changed and re-hashed history no longer matches', () => {
    const forged = chain(40).map((e) => e);
    let previous = GENESIS_HASH;
    const rehashed = forged.map((e) => {
      const changed = e.seq === 5 ? { ...e, payload: { ...e.payload, name: 'x' } } : e;
      previous = chainHash(previous, changed);
      return { ...changed, hash: previous };
    });
    expect(verify(rehashed, checkpoints)).toMatchObject({ ok: false, seq: 20, problem: 'rewritten' });
  });

  it('refuses a checkpoint with a bad signature or signed by a key other than the pinned one', () => {
    const bad = { ...checkpoints[0], time: '2026-12-07T02:00:00.000Z' };
    expect(verify(events, [bad])).toMatchObject({ ok: false, seq: 20, problem: 'bad_checkpoint_signature' });
    const other = newSigningKeyPair();
    expect(verify(events, checkpoints, [other.publicKey])).toMatchObject({
      ok: false,
      seq: 20,
      problem: 'unknown_key',
    });
    expect(verify(events, checkpoints, [keys.publicKey])).toMatchObject({ ok: true });
  });
});

describe('ChainVerifier with actors', () => {
  const events = chain(30, 11);
  const checkpoints = [checkpointAt(events, 10), checkpointAt(events, 30)];

  it('accepts a chain whose older events have no actor and later ones have', () => {
    expect(verify(events, checkpoints)).toMatchObject({ ok: true, events: 30, checkpoints: 2 });
  });

  it('hashes an event without an actor as it did before actors were recorded', () => {
    const { actor: _actor, ...withoutActor } = chain(1, 1)[0];
    expect(withoutActor.hash).not.toBe(chain(1)[0].hash);
    expect(chain(1)[0].hash).toBe(chainHash(GENESIS_HASH, { ...withoutActor, actor: undefined }));
  });

  it('names an event whose actor was changed or removed', () => {
    const renamed = events.map((e) =>
      e.seq === 15 && e.actor ? { ...e, actor: { ...e.actor, name: 'someone-else' } } : e,
    );
    expect(verify(renamed, checkpoints)).toMatchObject({ ok: false, seq: 15, problem: 'edited' });
    const stripped = events.map((e) => (e.seq === 20 ? { ...e, actor: undefined } : e));
    expect(verify(stripped, checkpoints)).toMatchObject({ ok: false, seq: 20, problem: 'edited' });
  });
});

describe('ChainVerifier with node receipts', () => {
  const nodeId = '00000000-0000-4000-8000-00000000000a';
  const nodeKey = newSigningKeyPair();
  const receipt = signReceipt(nodeKey.privateKey, {
    interface: 'wg0',
    request_id: 'nonce-1',
    plan_hash: 'ab'.repeat(32),
    state_digest: 'cd'.repeat(32),
    time: '2026-12-07T05:00:00.000Z',
  });
  const event = (aggregate_type: string, type: string, payload: Record<string, unknown>) => ({
    aggregate_type,
    aggregate_id: aggregate_type === 'node' ? nodeId : '00000000-0000-4000-8000-00000000000b',
    version: 1,
    type,
    payload,
    metadata: { actor_token_id: null, request_id: null },
    created_at: '2026-12-07T05:00:00.000Z',
  });
  function chained(...events: ReturnType<typeof event>[]): ChainedEvent[] {
    let previous = GENESIS_HASH;
    return events.map((entry, i) => {
      previous = chainHash(previous, { ...entry, seq: i + 1 });
      return { ...entry, seq: i + 1, hash: previous };
    });
  }
  const registered = (key: string | null) =>
    event('node', 'node.registered', { name: 'n', receipt_key: key });
  const recorded = (signedReceipt: NodeReceipt) =>
    event('node_receipt', 'node.receipt_recorded', { node_id: nodeId, receipt: signedReceipt });

  it("accepts a receipt signed with its node's key pinned before it", () => {
    expect(verify(chained(registered(nodeKey.publicKey), recorded(receipt)))).toMatchObject({ ok: true });
  });

  it('names a receipt that its pinned key does not verify, even when re-hashed into the chain', () => {
    const forged = signReceipt(newSigningKeyPair().privateKey, receipt);
    expect(verify(chained(registered(nodeKey.publicKey), recorded(forged)))).toMatchObject({
      ok: false,
      seq: 2,
      problem: 'receipt_mismatch',
    });
    const edited = { ...receipt, state_digest: 'ef'.repeat(32) };
    expect(verify(chained(registered(nodeKey.publicKey), recorded(edited)))).toMatchObject({
      seq: 2,
      problem: 'receipt_mismatch',
    });
  });

  it('follows a refreshed pin and refuses a receipt of a node without one', () => {
    const other = newSigningKeyPair();
    const refreshed = event('node', 'node.updated', { changes: { receipt_key: other.publicKey } });
    expect(verify(chained(registered(nodeKey.publicKey), refreshed, recorded(receipt)))).toMatchObject({
      seq: 3,
      problem: 'receipt_mismatch',
    });
    expect(verify(chained(registered(null), recorded(receipt)))).toMatchObject({
      seq: 2,
      problem: 'receipt_mismatch',
    });
  });
});
