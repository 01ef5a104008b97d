import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';
import type { ActorRef } from './actor';
import { verifyReceiptSignature, type NodeReceipt } from './receipts';

/**
 * The audit chain of the event log (docs/AUDIT.md): the encoding, the hash chain, checkpoint signatures and
 * the verifier, shared by the panel's self-check and the offline `wgfleet audit verify`.
 */

/** The hash before the first event: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64);

/** One event as the chain commits to it and the export carries it (sealed values replaced by their digest). */
export interface ChainedEvent {
  seq: number;
  hash: string;
  aggregate_type: string;
  aggregate_id: string;
  version: number;
  type: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** ISO 8601 UTC with milliseconds. */
  created_at: string;
  /** Who did it; absent on events recorded before events named their actor. */
  actor?: ActorRef;
}

/** A signed statement that the chain's event `seq` has `hash`. */
export interface Checkpoint {
  seq: number;
  hash: string;
  /** ISO 8601 UTC with milliseconds. */
  time: string;
  /** base64 Ed25519 signature of `checkpointMessage`. */
  signature: string;
  key_id: string;
}

/** A panel signing key as exported: the raw 32-byte Ed25519 public key in base64. */
export interface AuditKey {
  key_id: string;
  public_key: string;
}

/** One line of `GET /api/audit/export`. */
export type ExportLine =
  ({ kind: 'key' } & AuditKey) | ({ kind: 'event' } & ChainedEvent) | ({ kind: 'checkpoint' } & Checkpoint);

/**
 * RFC 8785 (JCS) canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers and strings
 * as ECMAScript's JSON.stringify writes them. Undefined object members are left out, as JSON has none.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
}

const SEALED_FIELD = /_sealed$/;

/**
 * The form of a payload the chain commits to: each sealed secret (`*_sealed`, ciphertext) is replaced by
 * `sha256:<hex of its text>`, so an export proves the ciphertext unchanged without carrying it.
 */
export function chainPayload(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(chainPayload);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SEALED_FIELD.test(key) && typeof inner === 'string' ? sealedDigest(inner) : chainPayload(inner),
    ]),
  );
}

function sealedDigest(sealed: string): string {
  return sealed.startsWith('sha256:') ? sealed : `sha256:${sha256Hex(sealed)}`;
}

/**
 * `SHA-256(previous hash bytes ‖ canonical encoding of the event without its hash)`, lowercase hex. An event
 * without an actor encodes without the member, so chains sealed before events named their actor still verify.
 */
export function chainHash(previousHash: string, event: Omit<ChainedEvent, 'hash'>): string {
  const encoded = canonicalJson({
    seq: event.seq,
    aggregate_type: event.aggregate_type,
    aggregate_id: event.aggregate_id,
    version: event.version,
    type: event.type,
    payload: event.payload,
    metadata: event.metadata,
    created_at: event.created_at,
    actor: event.actor,
  });
  return createHash('sha256').update(Buffer.from(previousHash, 'hex')).update(encoded).digest('hex');
}

/** The bytes a checkpoint's signature covers. */
export function checkpointMessage(checkpoint: Pick<Checkpoint, 'seq' | 'hash' | 'time'>): Buffer {
  return Buffer.from(
    canonicalJson({
      type: 'wgfleet.audit.checkpoint.v1',
      seq: checkpoint.seq,
      hash: checkpoint.hash,
      time: checkpoint.time,
    }),
  );
}

/** A new Ed25519 key pair: the raw public key and the PKCS#8 private key, both base64. */
export function newSigningKeyPair(): { publicKey: string; privateKey: string; keyId: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return {
    publicKey: raw,
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    keyId: keyIdOf(raw),
  };
}

/** A key's id: the first 16 hex digits of the SHA-256 of its raw public key. */
export function keyIdOf(publicKey: string): string {
  return sha256Hex(Buffer.from(publicKey, 'base64')).slice(0, 16);
}

export function signCheckpoint(
  privateKeyPkcs8: string,
  keyId: string,
  point: Pick<Checkpoint, 'seq' | 'hash' | 'time'>,
): Checkpoint {
  const key = createPrivateKey({ key: Buffer.from(privateKeyPkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  return { ...point, signature: sign(null, checkpointMessage(point), key).toString('base64'), key_id: keyId };
}

export function verifyCheckpointSignature(checkpoint: Checkpoint, publicKey: string): boolean {
  try {
    return verify(
      null,
      checkpointMessage(checkpoint),
      publicKeyObject(publicKey),
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/** A raw 32-byte Ed25519 public key (base64) as a KeyObject; throws on anything else. */
export function publicKeyObject(publicKey: string): KeyObject {
  const raw = Buffer.from(publicKey, 'base64');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes in base64');
  // SubjectPublicKeyInfo of Ed25519 is a fixed 12-byte prefix and the raw key.
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

function rawPublicKey(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export type AuditProblem =
  | 'edited'
  | 'deleted'
  | 'reordered'
  | 'truncated'
  | 'rewritten'
  | 'bad_checkpoint_signature'
  | 'unknown_key'
  | 'receipt_mismatch'
  | 'malformed';

/** The verdict: intact, or the first bad sequence number and what is wrong there. */
export type AuditVerdict =
  | { ok: true; events: number; headSeq: number; headHash: string; checkpoints: number }
  | { ok: false; seq: number; problem: AuditProblem; detail: string; events: number };

/** How many following events a hash mismatch looks through for the event that belongs there. */
const REORDER_WINDOW = 256;

type Failure = Extract<AuditVerdict, { ok: false }>;

/**
 * Checks an exported log line by line with little memory: keys and checkpoints first (the export writes
 * them first), then events ascending by seq. It recomputes the chain, checks each checkpoint's signature and
 * that the chain has its hash at its seq, and reports the first problem. `pinnedKeys` (base64 public keys),
 * when given, are the only keys a checkpoint may be signed with; otherwise the export's `key` lines are.
 */
export class ChainVerifier {
  private readonly pinned: Map<string, string> | null;
  private readonly keys = new Map<string, string>();
  private readonly checkpoints = new Map<number, Checkpoint[]>();
  private checkpointCount = 0;
  private expectedSeq = 1;
  private previousHash = GENESIS_HASH;
  private events = 0;
  private failure: Failure | null = null;
  /** Each node's receipt key as pinned by the events read so far (docs/AUDIT.md "Node receipts"). */
  private readonly receiptKeys = new Map<string, string | null>();
  /** The event whose hash did not match, and the ones after it, while deciding edited or reordered. */
  private suspect: { event: ChainedEvent; previousHash: string; following: ChainedEvent[] } | null = null;

  constructor(pinnedKeys?: readonly string[]) {
    this.pinned = pinnedKeys ? new Map(pinnedKeys.map((key) => [keyIdOf(key), key])) : null;
  }

  add(line: ExportLine): void {
    if (line.kind === 'key') this.keys.set(line.key_id, line.public_key);
    else if (line.kind === 'checkpoint') this.addCheckpoint(line);
    else if (line.kind === 'event') this.addEvent(line);
    else this.fail(this.expectedSeq, 'malformed', 'a line of unknown kind');
  }

  addCheckpoint(checkpoint: Checkpoint): void {
    if (this.events > 0) throw new Error('checkpoints must be given before the events');
    const atSeq = this.checkpoints.get(checkpoint.seq) ?? [];
    atSeq.push(checkpoint);
    this.checkpoints.set(checkpoint.seq, atSeq);
    this.checkpointCount++;
  }

  addEvent(event: ChainedEvent): void {
    if (this.suspect) {
      this.suspect.following.push(event);
      if (this.suspect.following.length >= REORDER_WINDOW) this.settleSuspect();
      return;
    }
    if (this.failure) return;
    if (this.events === 0) this.checkSignatures();
    if (this.failure) return;
    this.events++;
    if (!Number.isSafeInteger(event.seq) || typeof event.hash !== 'string') {
      return this.fail(this.expectedSeq, 'malformed', 'an event without an integer seq and a hash');
    }
    if (event.seq > this.expectedSeq) {
      const last = event.seq - 1;
      const missing = last > this.expectedSeq ? `${this.expectedSeq}..${last}` : `${this.expectedSeq}`;
      return this.fail(
        this.expectedSeq,
        'deleted',
        `seq ${missing} missing (the next event is seq ${event.seq})`,
      );
    }
    if (event.seq < this.expectedSeq) {
      return this.fail(
        this.expectedSeq,
        'reordered',
        `seq ${event.seq} comes again after seq ${this.expectedSeq - 1}`,
      );
    }
    let computed: string;
    try {
      computed = chainHash(this.previousHash, withChainPayload(event));
    } catch (error) {
      return this.fail(event.seq, 'malformed', `seq ${event.seq}: ${(error as Error).message}`);
    }
    if (computed !== event.hash) {
      this.suspect = { event, previousHash: this.previousHash, following: [] };
      return;
    }
    this.previousHash = event.hash;
    this.expectedSeq = event.seq + 1;
    const receiptProblem = this.checkReceiptEvent(event);
    if (receiptProblem)
      return this.fail(event.seq, 'receipt_mismatch', `seq ${event.seq}: ${receiptProblem}`);
    for (const checkpoint of this.checkpoints.get(event.seq) ?? []) {
      if (checkpoint.hash !== event.hash) {
        return this.fail(
          event.seq,
          'rewritten',
          `the chain's hash at seq ${event.seq} differs from its signed checkpoint: events up to it were changed and re-hashed`,
        );
      }
    }
  }

  /** Ends the input: settles a pending mismatch, then checks no checkpoint vouches for more than the log has. */
  finish(): AuditVerdict {
    if (this.events === 0) this.checkSignatures();
    if (this.suspect) this.settleSuspect();
    const head = this.expectedSeq - 1;
    const beyond = Math.max(0, ...this.checkpoints.keys());
    if (beyond > head) {
      this.fail(
        head + 1,
        'truncated',
        `the log ends at seq ${head} but a signed checkpoint vouches for seq ${beyond}`,
      );
    }
    if (this.failure) return { ...this.failure, events: this.events };
    return {
      ok: true,
      events: this.events,
      headSeq: head,
      headHash: this.previousHash,
      checkpoints: this.checkpointCount,
    };
  }

  /**
   * Follows the pins of node receipt keys and checks each recorded receipt against the key its node had
   * pinned at that point of the chain; the reason a receipt does not verify, or null.
   */
  private checkReceiptEvent(event: ChainedEvent): string | null {
    const payload = event.payload;
    if (event.type === NODE_REGISTERED_EVENT && 'receipt_key' in payload) {
      this.receiptKeys.set(event.aggregate_id, keyOrNull(payload.receipt_key));
    } else if (event.type === NODE_UPDATED_EVENT) {
      const changes = payload.changes;
      if (changes !== null && typeof changes === 'object' && 'receipt_key' in changes) {
        this.receiptKeys.set(event.aggregate_id, keyOrNull((changes as Record<string, unknown>).receipt_key));
      }
    } else if (event.type === RECEIPT_RECORDED_EVENT) {
      const nodeId = payload.node_id;
      const key = typeof nodeId === 'string' ? this.receiptKeys.get(nodeId) : undefined;
      if (!key) return `the receipt's node ${String(nodeId)} has no receipt key pinned before it`;
      const receipt = payload.receipt as NodeReceipt | undefined;
      if (!receipt || typeof receipt !== 'object' || !verifyReceiptSignature(receipt, key)) {
        return `the receipt does not verify with node ${nodeId}'s pinned receipt key`;
      }
    }
    return null;
  }

  private checkSignatures(): void {
    const sorted = [...this.checkpoints.values()].flat().sort((a, b) => a.seq - b.seq);
    for (const checkpoint of sorted) {
      const key = (this.pinned ?? this.keys).get(checkpoint.key_id);
      if (key === undefined) {
        const where = this.pinned ? 'not a pinned panel key' : 'not in the export';
        return this.fail(
          checkpoint.seq,
          'unknown_key',
          `the checkpoint at seq ${checkpoint.seq} is signed with key ${checkpoint.key_id}, ${where}`,
        );
      }
      if (!verifyCheckpointSignature(checkpoint, key)) {
        return this.fail(
          checkpoint.seq,
          'bad_checkpoint_signature',
          `the checkpoint at seq ${checkpoint.seq}: its signature does not verify with key ${checkpoint.key_id}`,
        );
      }
    }
  }

  private settleSuspect(): void {
    const { event, previousHash, following } = this.suspect!;
    this.suspect = null;
    const belongs = following.find(
      (other) => chainHash(previousHash, { ...withChainPayload(other), seq: event.seq }) === other.hash,
    );
    if (belongs) {
      this.fail(event.seq, 'reordered', `the event now at seq ${belongs.seq} belongs at seq ${event.seq}`);
    } else {
      this.fail(event.seq, 'edited', `seq ${event.seq}: the event's content does not match its hash`);
    }
  }

  private fail(seq: number, problem: AuditProblem, detail: string): void {
    if (!this.failure) this.failure = { ok: false, seq, problem, detail, events: this.events };
  }
}

/** The event types the verifier reads node receipt keys and receipts from (docs/AUDIT.md "Node receipts"). */
export const NODE_REGISTERED_EVENT = 'node.registered';
export const NODE_UPDATED_EVENT = 'node.updated';
export const RECEIPT_RECORDED_EVENT = 'node.receipt_recorded';

function keyOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function withChainPayload(event: ChainedEvent): ChainedEvent {
  return { ...event, payload: chainPayload(event.payload) as ChainedEvent['payload'] };
}
