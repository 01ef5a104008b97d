import type { Dump, DumpPeer } from '@wgfleet/protocol';
import { BufferPool, PooledBytes } from '../util/buffer-pool';
import { PresharedKeyDigests } from './preshared-key-digests';

/*
 * `wg show <iface> dump` is turned into the dump's JSON byte by byte: the fields of a peer line are copied
 * from wg's output into the answer without becoming strings, so a 10,000-peer dump costs one pass over the
 * bytes and leaves almost no garbage (with the agent's small young generation, garbage means promotions and
 * full collections, which used to cost more than the conversion itself).
 */

const NEWLINE = 10;
const TAB = 9;
const COMMA = 44;
const PEER_FIELDS = 8;

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

const NONE = ascii('(none)');
const OFF = ascii('off');
const PEER_START = ascii('{"public_key":"');
const PSK_NULL = ascii('","preshared_key_sha256":null,"endpoint":');
const PSK_OPEN = ascii('","preshared_key_sha256":"');
const PSK_CLOSE = ascii('","endpoint":');
const NULL = ascii('null');
const QUOTE = ascii('"');
const ALLOWED_IPS = ascii(',"allowed_ips":');
const NO_IPS = ascii('[]');
const IPS_OPEN = ascii('["');
const IPS_SEPARATOR = ascii('","');
const IPS_CLOSE = ascii('"]');
const HANDSHAKE = ascii(',"latest_handshake":');
const RX = ascii(',"transfer_rx":');
const TX = ascii(',"transfer_tx":');
const KEEPALIVE = ascii(',"persistent_keepalive":');
const ZERO = ascii('0');
const PEER_END = ascii('}');
const PEER_SEPARATOR = ascii(',');
const DUMP_END = ascii(']}');
const HEX_DIGITS = ascii('0123456789abcdef');

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64_ALPHABET.length; i++) BASE64_VALUE[BASE64_ALPHABET.charCodeAt(i)] = i;
/** A WireGuard key: 32 bytes, printed by wg as 43 base64 characters and one '='. */
const KEY_CHARS = 44;
const KEY_BYTES = 32;

/**
 * wg prints keys, addresses and numbers only: plain ASCII that JSON takes as it is. Anything else (a quote,
 * a backslash, a control or non-ASCII character) means output we do not understand.
 */
function isPlainByte(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e && byte !== 0x22 && byte !== 0x5c;
}

function wrongShape(index: number): Error {
  return new Error(`unexpected wg dump output: peer line ${index} has the wrong shape`);
}

function sameBytes(source: Buffer, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (source[start + i] !== expected[i]) return false;
  return true;
}

/** JSON bytes, written into buffers of a pool. */
class ByteSink {
  private readonly buffers: Buffer[] = [];
  private readonly chunks: Buffer[] = [];
  private chunk: Buffer;
  private at = 0;

  constructor(private readonly pool: BufferPool) {
    this.chunk = this.newBuffer(0);
  }

  /** Makes room for `bytes` more bytes in the current buffer. */
  reserve(bytes: number): void {
    if (this.at + bytes <= this.chunk.length) return;
    this.chunks.push(this.chunk.subarray(0, this.at));
    this.chunk = this.newBuffer(bytes);
    this.at = 0;
  }

  // A loop beats a native copy for the few dozen bytes these calls move.
  put(bytes: Uint8Array): void {
    const chunk = this.chunk;
    let at = this.at;
    for (let i = 0; i < bytes.length; i++) chunk[at++] = bytes[i];
    this.at = at;
  }

  putRange(source: Buffer, start: number, end: number): void {
    const chunk = this.chunk;
    let at = this.at;
    for (let i = start; i < end; i++) chunk[at++] = source[i];
    this.at = at;
  }

  putHex(bytes: Uint8Array): void {
    const chunk = this.chunk;
    let at = this.at;
    for (let i = 0; i < bytes.length; i++) {
      chunk[at++] = HEX_DIGITS[bytes[i] >> 4];
      chunk[at++] = HEX_DIGITS[bytes[i] & 15];
    }
    this.at = at;
  }

  putAscii(text: string): void {
    this.at += this.chunk.write(text, this.at, 'latin1');
  }

  bytes(): PooledBytes {
    this.chunks.push(this.chunk.subarray(0, this.at));
    return new PooledBytes(this.chunks, this.buffers, this.pool);
  }

  private newBuffer(minBytes: number): Buffer {
    const buffer = this.pool.take(minBytes);
    this.buffers.push(buffer);
    return buffer;
  }
}

/** Decodes a WireGuard key's base64 into `into`; false when the text is not such a key. */
function decodeKey(source: Buffer, start: number, end: number, into: Buffer): boolean {
  if (end - start !== KEY_CHARS || source[end - 1] !== 0x3d) return false;
  let bits = 0;
  let bitCount = 0;
  let out = 0;
  for (let i = start; i < end - 1; i++) {
    const char = source[i];
    const value = char < 128 ? BASE64_VALUE[char] : -1;
    if (value < 0) return false;
    bits = ((bits << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      into[out++] = (bits >> bitCount) & 0xff;
    }
  }
  return out === KEY_BYTES;
}

/** Every conversion of this agent shares them: its interfaces' keys are hashed once, not once per dump. */
const presharedKeyDigests = new PresharedKeyDigests();

/**
 * A peer line as JSON; a preshared key is replaced by its SHA-256 at once. wg's integers are copied as
 * digits (leading zeros dropped), after checking they are digits that make a safe integer.
 */
class PeerLineWriter {
  private readonly tabs = new Int32Array(PEER_FIELDS + 1);
  private readonly key = Buffer.alloc(KEY_BYTES);

  write(sink: ByteSink, line: Buffer, start: number, end: number, index: number): void {
    const tabs = this.tabs;
    let fields = 0;
    tabs[0] = start - 1;
    for (let i = start; i < end; i++) {
      const byte = line[i];
      if (byte === TAB) {
        if (++fields >= PEER_FIELDS) throw wrongShape(index);
        tabs[fields] = i;
      } else if (!isPlainByte(byte)) throw wrongShape(index);
    }
    if (fields !== PEER_FIELDS - 1) throw wrongShape(index);
    tabs[PEER_FIELDS] = end;

    // A field may triple (a comma becomes '","'); the rest is the names, the hash and the brackets.
    sink.reserve(3 * (end - start) + 256);
    sink.put(PEER_START);
    sink.putRange(line, tabs[0] + 1, tabs[1]);
    if (sameBytes(line, tabs[1] + 1, tabs[2], NONE)) sink.put(PSK_NULL);
    else {
      if (!decodeKey(line, tabs[1] + 1, tabs[2], this.key)) throw wrongShape(index);
      sink.put(PSK_OPEN);
      sink.putHex(presharedKeyDigests.digestOf(this.key, 0));
      sink.put(PSK_CLOSE);
    }
    if (sameBytes(line, tabs[2] + 1, tabs[3], NONE)) sink.put(NULL);
    else {
      sink.put(QUOTE);
      sink.putRange(line, tabs[2] + 1, tabs[3]);
      sink.put(QUOTE);
    }
    sink.put(ALLOWED_IPS);
    if (sameBytes(line, tabs[3] + 1, tabs[4], NONE)) sink.put(NO_IPS);
    else {
      sink.put(IPS_OPEN);
      let pieceStart = tabs[3] + 1;
      for (let i = pieceStart; i < tabs[4]; i++) {
        if (line[i] !== COMMA) continue;
        sink.putRange(line, pieceStart, i);
        sink.put(IPS_SEPARATOR);
        pieceStart = i + 1;
      }
      sink.putRange(line, pieceStart, tabs[4]);
      sink.put(IPS_CLOSE);
    }
    sink.put(HANDSHAKE);
    this.putInteger(sink, line, tabs[4] + 1, tabs[5], 'latest handshake');
    sink.put(RX);
    this.putInteger(sink, line, tabs[5] + 1, tabs[6], 'transfer');
    sink.put(TX);
    this.putInteger(sink, line, tabs[6] + 1, tabs[7], 'transfer');
    sink.put(KEEPALIVE);
    if (sameBytes(line, tabs[7] + 1, tabs[8], OFF)) sink.put(ZERO);
    else this.putInteger(sink, line, tabs[7] + 1, tabs[8], 'keepalive');
    sink.put(PEER_END);
  }

  private putInteger(sink: ByteSink, line: Buffer, start: number, end: number, what: string): void {
    let value = 0;
    for (let i = start; i < end; i++) {
      const digit = line[i] - 48;
      if (digit < 0 || digit > 9) throw notANumber(what);
      value = value * 10 + digit;
    }
    if (start === end || !Number.isSafeInteger(value)) throw notANumber(what);
    while (start < end - 1 && line[start] === 48) start++;
    sink.putRange(line, start, end);
  }
}

function notANumber(what: string): Error {
  return new Error(`unexpected ${what} in wg dump: not a number`);
}

function toNumber(text: string, what: string): number {
  const value = Number(text);
  if (text === '' || !Number.isSafeInteger(value)) throw notANumber(what);
  return value;
}

const INTERFACE_FIELDS = /^[!#-[\]-~]+\t[!#-[\]-~]+\t[!#-[\]-~]+\t[!#-[\]-~]+$/;

/** The first line as JSON (fwmark may be hex, so Number parses it); its private key is skipped. */
function interfaceJson(name: string, line: string, mtu: number | null): string {
  if (!INTERFACE_FIELDS.test(line)) {
    throw new Error('unexpected wg dump output: interface line has the wrong shape');
  }
  const f = line.split('\t');
  const publicKey = f[1] === '(none)' ? '' : f[1];
  const fwmark = f[3] === 'off' ? 'null' : toNumber(f[3], 'fwmark');
  return `{"interface":{"name":${JSON.stringify(name)},"public_key":"${publicKey}","listen_port":${toNumber(f[2], 'listen port')},"fwmark":${fwmark},"mtu":${mtu}},"peers":[`;
}

/** Whether a dump's JSON (as DumpJsonWriter makes it) lists no peer: it ends with `[]}`. */
export function dumpJsonHasNoPeers(json: PooledBytes): boolean {
  const { chunks } = json;
  const last = chunks[chunks.length - 1];
  const tail = last.length >= 3 ? last : Buffer.concat(chunks.slice(-2));
  return tail.subarray(-3).toString('latin1') === '[]}';
}

/** For one-off conversions, whose buffers are not worth keeping. */
const unpooled = (bufferBytes: number) => new BufferPool(bufferBytes, 0);

/** Parses `wg show <iface> dump` into objects, through the one mapping of DumpJsonWriter. */
export function parseDump(name: string, output: Buffer, mtu: number | null = null): Dump {
  const writer = new DumpJsonWriter(name, unpooled(output.length * 2 + 1024), mtu);
  writer.write(output);
  return JSON.parse(writer.end().toBuffer().toString('latin1')) as Dump;
}

/** One peer of `wg show <iface> dump`, found without parsing the others; null when it is not there. */
export function findDumpPeer(output: Buffer, key: string): DumpPeer | null {
  const start = output.indexOf(`\n${key}\t`);
  if (start < 0) return null;
  let end = output.indexOf(NEWLINE, start + 1);
  if (end < 0) end = output.length;
  const sink = new ByteSink(unpooled(1024));
  new PeerLineWriter().write(sink, output, start + 1, end, 1);
  return JSON.parse(sink.bytes().toBuffer().toString('latin1')) as DumpPeer;
}

/**
 * Turns `wg show <iface> dump` into the dump's JSON bytes while wg's output streams in, line by line, into
 * buffers of `pool`: no copy of the whole output, no string or object per peer.
 */
export class DumpJsonWriter {
  private readonly sink: ByteSink;
  private readonly peers = new PeerLineWriter();
  private lines = 0;
  /** The unfinished last line of the previous piece of output. */
  private partial: Buffer | null = null;

  /** `mtu`: the link's, which wg does not print; null when it could not be read. */
  constructor(
    private readonly name: string,
    pool: BufferPool,
    private readonly mtu: number | null = null,
  ) {
    this.sink = new ByteSink(pool);
  }

  write(output: Buffer): void {
    let start = 0;
    if (this.partial) {
      const firstEnd = output.indexOf(NEWLINE);
      if (firstEnd < 0) {
        this.partial = Buffer.concat([this.partial, output]);
        return;
      }
      const line = Buffer.concat([this.partial, output.subarray(0, firstEnd)]);
      this.addLine(line, 0, line.length);
      this.partial = null;
      start = firstEnd + 1;
    }
    for (let end = output.indexOf(NEWLINE, start); end >= 0; end = output.indexOf(NEWLINE, start)) {
      this.addLine(output, start, end);
      start = end + 1;
    }
    // A copy, so the (64 KiB) piece of output is not kept alive for a few bytes.
    if (start < output.length) this.partial = Buffer.from(output.subarray(start));
  }

  /** The JSON, encoded once however many answers send it. */
  end(): PooledBytes {
    if (this.partial) this.addLine(this.partial, 0, this.partial.length);
    this.partial = null;
    if (this.lines === 0) throw new Error('unexpected wg dump output: empty');
    this.sink.reserve(DUMP_END.length);
    this.sink.put(DUMP_END);
    return this.sink.bytes();
  }

  private addLine(output: Buffer, start: number, end: number): void {
    if (end === start) return;
    const index = this.lines++;
    if (index === 0) {
      const json = interfaceJson(this.name, output.toString('latin1', start, end), this.mtu);
      this.sink.reserve(json.length);
      this.sink.putAscii(json);
      return;
    }
    if (index > 1) {
      this.sink.reserve(PEER_SEPARATOR.length);
      this.sink.put(PEER_SEPARATOR);
    }
    this.peers.write(this.sink, output, start, end, index);
  }
}
