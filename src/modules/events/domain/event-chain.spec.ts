import { ChainVerifier } from '@wgfleet/protocol';
import { ChainRow, sealRows, toChainedEvent } from './event-chain';

const row = (position: number, payload: Record<string, unknown> = {}): ChainRow => ({
  position: String(position),
  aggregate_type: 'peer',
  aggregate_id: '00000000-0000-4000-8000-000000000001',
  version: position,
  type: 'peer.updated',
  payload,
  metadata: { actor_token_id: null, request_id: null },
  created_at: '2026-12-07T00:00:00.000Z',
});

describe('sealRows', () => {
  it('continues the chain from its head, batch after batch, into one chain the verifier accepts', () => {
    const rows = [row(3, { private_key_sealed: 'v1.secret' }), row(5), row(4), row(9)];
    const first = sealRows(null, rows.slice(0, 2));
    const second = sealRows(first[1], rows.slice(2));
    expect([...first, ...second].map((seal) => [seal.position, seal.seq])).toEqual([
      ['3', 1],
      ['5', 2],
      ['4', 3],
      ['9', 4],
    ]);
    const verifier = new ChainVerifier();
    [...first, ...second].forEach((seal, i) =>
      verifier.add({ kind: 'event', ...toChainedEvent(rows[i], seal) }),
    );
    expect(verifier.finish()).toMatchObject({ ok: true, headSeq: 4, headHash: second[1].hash });
  });

  it('commits to the actor of an event that names one, and seals an older one without it', () => {
    const actor = { kind: 'token' as const, id: 't1', name: 'ci', via: 'cli' as const, request_id: 'r1' };
    const rows = [
      { ...row(1), actor: null },
      { ...row(2), actor },
    ];
    const seals = sealRows(null, rows);
    expect(toChainedEvent(rows[0], seals[0])).not.toHaveProperty('actor');
    expect(toChainedEvent(rows[1], seals[1]).actor).toEqual(actor);
    const forged = sealRows(null, [rows[0], { ...rows[1], actor: { ...actor, name: 'other' } }]);
    expect(forged[1].hash).not.toBe(seals[1].hash);
  });

  it('commits to the digest of a sealed secret, never the ciphertext itself', () => {
    const event = toChainedEvent(row(1, { private_key_sealed: 'v1.secret' }), { seq: 1, hash: 'h' });
    expect(JSON.stringify(event)).not.toContain('v1.secret');
  });
});
