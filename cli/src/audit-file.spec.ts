import { chainHash, GENESIS_HASH, newSigningKeyPair, signCheckpoint } from '@wgfleet/protocol';
import { parseCheckpoints, verifyExport } from './audit-file';

const keys = newSigningKeyPair();
const event = {
  seq: 1,
  aggregate_type: 'node',
  aggregate_id: '00000000-0000-4000-8000-000000000001',
  version: 1,
  type: 'node.registered',
  payload: { name: 'edge-1' },
  metadata: { actor_token_id: null, request_id: null },
  created_at: '2026-12-07T00:00:00.000Z',
};
const hash = chainHash(GENESIS_HASH, event);
const checkpoint = signCheckpoint(keys.privateKey, keys.keyId, { seq: 1, hash, time: event.created_at });

async function* lines(...items: object[]): AsyncGenerator<string> {
  for (const item of items) yield JSON.stringify(item);
}

describe('parseCheckpoints', () => {
  it('reads checkpoints, webhook bodies as NDJSON, and the API listing', () => {
    const webhook = { type: 'audit.checkpoint', timestamp: 'x', data: { ...checkpoint, url: 'u' } };
    expect(parseCheckpoints(`${JSON.stringify(checkpoint)}\n${JSON.stringify(webhook)}\n`, 'f')).toEqual([
      checkpoint,
      checkpoint,
    ]);
    expect(parseCheckpoints(JSON.stringify({ items: [checkpoint] }), 'f')).toEqual([checkpoint]);
    expect(() => parseCheckpoints('{"seq":1}', 'copies.ndjson')).toThrow(/copies.ndjson: not a checkpoint/);
  });
});

describe('verifyExport', () => {
  it('accepts an intact export and uses a third party’s checkpoints and a pinned key', async () => {
    const exported = lines({ kind: 'event', ...event, hash });
    await expect(verifyExport(exported, [checkpoint], [keys.publicKey])).resolves.toMatchObject({ ok: true });
  });

  it('says truncated when a kept checkpoint vouches for more than the export holds', async () => {
    const later = signCheckpoint(keys.privateKey, keys.keyId, { seq: 2, hash, time: event.created_at });
    const exported = lines(
      { kind: 'key', key_id: keys.keyId, public_key: keys.publicKey },
      { kind: 'event', ...event, hash },
    );
    await expect(verifyExport(exported, [later], undefined)).resolves.toMatchObject({
      ok: false,
      seq: 2,
      problem: 'truncated',
    });
  });

  it('refuses a file that is not an export', async () => {
    async function* text() {
      yield 'not json';
    }
    await expect(verifyExport(text(), [], undefined)).rejects.toThrow(/line 1 is not JSON/);
  });
});
