import { hash } from 'node:crypto';

const KEY_BYTES = 32;
const DIGEST_BYTES = 32;
const ENTRY_BYTES = KEY_BYTES + DIGEST_BYTES;
const FIRST_CAPACITY = 4096;
/** 65,536 slots (4 MiB) hold the digests of 32,768 keys: enough for the biggest interfaces measured. */
const MAX_CAPACITY = 65_536;

/**
 * SHA-256 digests of preshared keys, remembered per key: an interface's keys rarely change between dumps,
 * and a look-up here is far cheaper than a call into the hash. An open-addressing table in
 * one buffer (key, then digest, per slot), so a lookup makes no garbage. Keys are random bytes, so their
 * first bytes pick the slot. It grows up to MAX_CAPACITY and is emptied when that is half full, which bounds
 * its memory. The keys stay in this buffer of this process: nothing here is ever logged or sent.
 */
export class PresharedKeyDigests {
  private table: Buffer | null = null;
  private capacity = 0;
  private used = 0;

  /** The digest of the 32-byte key at `key[start...]`, as 32 bytes of the table (valid until the next call). */
  digestOf(key: Buffer, start: number): Buffer {
    if (this.table === null || 2 * (this.used + 1) > this.capacity) this.makeRoom();
    const table = this.table!;
    const mask = this.capacity - 1;
    let slot = key.readUInt32LE(start) & mask;
    for (;;) {
      const at = slot * ENTRY_BYTES;
      if (isEmpty(table, at)) {
        key.copy(table, at, start, start + KEY_BYTES);
        const digest = hash('sha256', key.subarray(start, start + KEY_BYTES), 'buffer');
        digest.copy(table, at + KEY_BYTES);
        this.used++;
        return table.subarray(at + KEY_BYTES, at + ENTRY_BYTES);
      }
      if (table.compare(key, start, start + KEY_BYTES, at, at + KEY_BYTES) === 0) {
        return table.subarray(at + KEY_BYTES, at + ENTRY_BYTES);
      }
      slot = (slot + 1) & mask;
    }
  }

  private makeRoom(): void {
    if (this.table !== null && this.capacity < MAX_CAPACITY) {
      const old = this.table;
      const oldCapacity = this.capacity;
      this.allocate(this.capacity * 2);
      for (let slot = 0; slot < oldCapacity; slot++) {
        const at = slot * ENTRY_BYTES;
        if (!isEmpty(old, at)) this.insertEntry(old, at);
      }
      old.fill(0);
      return;
    }
    // First use, or full at the largest size: start afresh (the old keys are overwritten with zeros).
    this.table?.fill(0);
    this.allocate(this.table === null ? FIRST_CAPACITY : this.capacity);
  }

  private allocate(capacity: number): void {
    if (this.table === null || capacity !== this.capacity) this.table = Buffer.alloc(capacity * ENTRY_BYTES);
    this.capacity = capacity;
    this.used = 0;
  }

  private insertEntry(from: Buffer, fromAt: number): void {
    const table = this.table!;
    const mask = this.capacity - 1;
    let slot = from.readUInt32LE(fromAt) & mask;
    while (!isEmpty(table, slot * ENTRY_BYTES)) slot = (slot + 1) & mask;
    from.copy(table, slot * ENTRY_BYTES, fromAt, fromAt + ENTRY_BYTES);
    this.used++;
  }
}

/**
 * A slot is empty when its digest is all zeros: no SHA-256 output is (the chance is 2^-256), while an
 * all-zero key is a key like any other.
 */
function isEmpty(table: Buffer, at: number): boolean {
  for (let i = at + KEY_BYTES; i < at + ENTRY_BYTES; i++) if (table[i] !== 0) return false;
  return true;
}
