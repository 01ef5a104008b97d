import { newSigningKeyPair } from './audit';
import {
  checkReceipt,
  interfaceStateDigest,
  NodeReceipt,
  planHash,
  signReceipt,
  verifyReceiptSignature,
} from './receipts';
import type { Dump, DumpPeer } from './wire';

const peer = (key: string, extra: Partial<DumpPeer> = {}): DumpPeer => ({
  public_key: key,
  preshared_key_sha256: null,
  endpoint: null,
  allowed_ips: ['10.0.0.2/32', 'fd00::2/128'],
  latest_handshake: 0,
  transfer_rx: 0,
  transfer_tx: 0,
  persistent_keepalive: 0,
  ...extra,
});
const dump = (peers: DumpPeer[]): Dump => ({
  interface: { name: 'wg0', public_key: 'A'.repeat(43) + '=', listen_port: 51820, fwmark: null },
  peers,
});

describe('interfaceStateDigest', () => {
  it('covers the configured state only, whatever the order of peers and allowed IPs', () => {
    const base = interfaceStateDigest(dump([peer('a'), peer('b')]));
    const live = dump([
      peer('b', { latest_handshake: 9, transfer_rx: 5, endpoint: '192.0.2.1:4000' }),
      peer('a', { allowed_ips: ['fd00::2/128', '10.0.0.2/32'] }),
    ]);
    expect(interfaceStateDigest(live)).toBe(base);
    expect(interfaceStateDigest(dump([peer('a'), peer('b', { persistent_keepalive: 25 })]))).not.toBe(base);
    expect(interfaceStateDigest(dump([peer('a')]))).not.toBe(base);
  });
});

describe('receipts', () => {
  it('verify with the signing node key only, and only unchanged', () => {
    const node = newSigningKeyPair();
    const receipt = signReceipt(node.privateKey, {
      interface: 'wg0',
      request_id: 'nonce-1',
      plan_hash: 'ab'.repeat(32),
      state_digest: 'cd'.repeat(32),
      time: '2026-12-07T00:00:00.000Z',
    });
    expect(verifyReceiptSignature(receipt, node.publicKey)).toBe(true);
    expect(verifyReceiptSignature({ ...receipt, request_id: 'nonce-2' }, node.publicKey)).toBe(false);
    expect(verifyReceiptSignature(receipt, newSigningKeyPair().publicKey)).toBe(false);
  });
});

describe('checkReceipt', () => {
  const node = newSigningKeyPair();
  const body = JSON.stringify({ upsert: [], remove: ['k'] });
  const sent = { interface: 'wg0', nonce: 'nonce-7', body };
  const signed = (fields: Partial<Omit<NodeReceipt, 'signature'>> = {}, key = node.privateKey) =>
    signReceipt(key, {
      interface: 'wg0',
      request_id: 'nonce-7',
      plan_hash: planHash(body),
      state_digest: 'cd'.repeat(32),
      time: '2026-12-07T05:00:00.000Z',
      ...fields,
    });

  it('accepts the receipt of exactly the request sent, signed with the pinned key', () => {
    expect(checkReceipt(signed(), node.publicKey, sent)).toEqual({ ok: true, receipt: signed() });
  });

  it('names a missing receipt', () => {
    expect(checkReceipt(undefined, node.publicKey, sent)).toMatchObject({
      ok: false,
      reason: 'receipt_missing',
    });
  });

  it.each([
    ['a forged signature', signed({}, newSigningKeyPair().privateKey), /signature/],
    ['another request', signed({ request_id: 'nonce-8' }), /another request/],
    ['another body', signed({ plan_hash: planHash('{}') }), /another request body/],
    ['another interface', signed({ interface: 'wg1' }), /another interface/],
    ['an edited state', { ...signed(), state_digest: 'ef'.repeat(32) }, /signature/],
    ['a malformed receipt', { ...signed(), time: 5 }, /receipt.time/],
  ])('refuses %s as receipt_invalid', (_, receipt, detail) => {
    const check = checkReceipt(receipt, node.publicKey, sent);
    expect(check).toMatchObject({ ok: false, reason: 'receipt_invalid' });
    expect(check.ok ? '' : check.detail).toMatch(detail);
  });
});
