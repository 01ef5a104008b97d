import { createHash, createPrivateKey, sign, verify } from 'node:crypto';
import { canonicalJson, publicKeyObject } from './audit';
import type { Dump } from './wire';

/**
 * Node receipts (docs/PROTOCOL.md "Receipts"): after applying a batch or a syncconf, an agent with a receipt
 * key signs "request R with body hash P left interface I in state S", with its own Ed25519 key that never
 * leaves the node.
 */
export interface NodeReceipt {
  interface: string;
  /** The request's `X-Agent-Nonce`: unique per request, so a receipt answers exactly one. */
  request_id: string;
  /** Lowercase hex SHA-256 of the request body as received: the plan the agent applied. */
  plan_hash: string;
  /** `interfaceStateDigest` of the interface after applying. */
  state_digest: string;
  /** ISO 8601 UTC. */
  time: string;
  /** base64 Ed25519 signature of `receiptMessage`. */
  signature: string;
}

/**
 * The configured state of an interface, without what changes on its own (handshakes, transfer counters,
 * roaming endpoints): name, public key, listen port, and each peer's key, sorted allowed IPs, preshared key
 * digest and keepalive, peers sorted by key.
 */
export function interfaceStateDigest(dump: Dump): string {
  const state = {
    name: dump.interface.name,
    public_key: dump.interface.public_key,
    listen_port: dump.interface.listen_port,
    peers: [...dump.peers]
      .sort((a, b) => (a.public_key < b.public_key ? -1 : a.public_key > b.public_key ? 1 : 0))
      .map((peer) => ({
        public_key: peer.public_key,
        allowed_ips: [...peer.allowed_ips].sort(),
        preshared_key_sha256: peer.preshared_key_sha256,
        persistent_keepalive: peer.persistent_keepalive,
      })),
  };
  return createHash('sha256').update(canonicalJson(state)).digest('hex');
}

/** A receipt's `plan_hash`: lowercase hex SHA-256 of the request body's bytes. */
export function planHash(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

export function receiptMessage(receipt: Omit<NodeReceipt, 'signature'>): Buffer {
  return Buffer.from(
    canonicalJson({
      type: 'wgfleet.node.receipt.v1',
      interface: receipt.interface,
      request_id: receipt.request_id,
      plan_hash: receipt.plan_hash,
      state_digest: receipt.state_digest,
      time: receipt.time,
    }),
  );
}

export function signReceipt(privateKeyPkcs8: string, fields: Omit<NodeReceipt, 'signature'>): NodeReceipt {
  const key = createPrivateKey({ key: Buffer.from(privateKeyPkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  return { ...fields, signature: sign(null, receiptMessage(fields), key).toString('base64') };
}

export function verifyReceiptSignature(receipt: NodeReceipt, publicKey: string): boolean {
  try {
    return verify(
      null,
      receiptMessage(receipt),
      publicKeyObject(publicKey),
      Buffer.from(receipt.signature, 'base64'),
    );
  } catch {
    return false;
  }
}
