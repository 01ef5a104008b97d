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

/** Why an answer's receipt is not accepted (docs/PROTOCOL.md "Receipts"). */
export type ReceiptProblem = 'receipt_missing' | 'receipt_invalid';

export type ReceiptCheck =
  { ok: true; receipt: NodeReceipt } | { ok: false; reason: ReceiptProblem; detail: string };

/** What the panel sent: the receipt must answer exactly this request. */
export interface SentRequest {
  interface: string;
  /** The request's `X-Agent-Nonce`. */
  nonce: string;
  /** The request body's bytes as sent. */
  body: string | Buffer;
}

const HEX_DIGEST = /^[0-9a-f]{64}$/;

/**
 * Checks the `receipt` member of a batch or syncconf answer against the node's pinned key and the request it
 * answers: well formed, signed by that key, for that interface, nonce and body.
 */
export function checkReceipt(value: unknown, pinnedKey: string, sent: SentRequest): ReceiptCheck {
  if (value === undefined || value === null) {
    return { ok: false, reason: 'receipt_missing', detail: 'the answer carries no receipt' };
  }
  const invalid = (detail: string): ReceiptCheck => ({ ok: false, reason: 'receipt_invalid', detail });
  if (typeof value !== 'object' || Array.isArray(value)) return invalid('the receipt is not an object');
  const fields = value as Record<string, unknown>;
  for (const name of ['interface', 'request_id', 'plan_hash', 'state_digest', 'time', 'signature']) {
    if (typeof fields[name] !== 'string') return invalid(`receipt.${name} must be a string`);
  }
  const receipt: NodeReceipt = {
    interface: fields.interface as string,
    request_id: fields.request_id as string,
    plan_hash: fields.plan_hash as string,
    state_digest: fields.state_digest as string,
    time: fields.time as string,
    signature: fields.signature as string,
  };
  if (!HEX_DIGEST.test(receipt.state_digest)) return invalid('receipt.state_digest is not a SHA-256 digest');
  if (!verifyReceiptSignature(receipt, pinnedKey)) {
    return invalid("the receipt's signature does not verify with the node's pinned receipt key");
  }
  if (receipt.interface !== sent.interface) return invalid('the receipt names another interface');
  if (receipt.request_id !== sent.nonce) return invalid('the receipt answers another request');
  if (receipt.plan_hash !== planHash(sent.body)) return invalid('the receipt is for another request body');
  return { ok: true, receipt };
}
