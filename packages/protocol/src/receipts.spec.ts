import { newSigningKeyPair } from './audit';
import { interfaceStateDigest, signReceipt, verifyReceiptSignature } from './receipts';
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
