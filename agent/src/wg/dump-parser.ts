import { sha256Hex, type Dump, type DumpPeer } from '@wgfleet/protocol';

const NONE = '(none)';
const NEWLINE = 10;
// Pieces of JSON this size are ordinary young-generation strings, freed by the next scavenge once sent.
const JSON_PIECE_CHARS = 16 * 1024;

function toNumber(text: string, what: string): number {
  const value = Number(text);
  if (text === '' || !Number.isSafeInteger(value))
    throw new Error(`unexpected ${what} in wg dump: not a number`);
  return value;
}

/** Calls `onLine` for each non-empty line of output[start, end), decoding one line at a time. */
function forEachLine(output: Buffer, start: number, end: number, onLine: (line: string) => void): void {
  while (start < end) {
    let lineEnd = output.indexOf(NEWLINE, start);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    if (lineEnd > start) onLine(output.toString('utf8', start, lineEnd));
    start = lineEnd + 1;
  }
}

// wg prints keys, addresses and numbers only: plain ASCII that JSON takes as it is. Anything else (a quote,
// a backslash, a control or non-ASCII character) means output we do not understand.
const NEEDS_ESCAPING = /[^\t !#-[\]-~]/;

/** The first line as JSON; its private key is skipped without being kept. */
function interfaceJson(name: string, line: string): string {
  const f = line.split('\t');
  if (f.length !== 4 || NEEDS_ESCAPING.test(line)) {
    throw new Error('unexpected wg dump output: interface line has the wrong shape');
  }
  const publicKey = f[1] === NONE ? '' : f[1];
  const fwmark = f[3] === 'off' ? 'null' : toNumber(f[3], 'fwmark');
  return `{"name":${JSON.stringify(name)},"public_key":"${publicKey}","listen_port":${toNumber(f[2], 'listen port')},"fwmark":${fwmark}}`;
}

/**
 * A peer line as JSON, written directly (this runs 10,000 times per large dump); a preshared key is replaced
 * by its SHA-256 at once.
 */
function peerJson(line: string, index: number): string {
  const f = line.split('\t');
  if (f.length !== 8 || NEEDS_ESCAPING.test(line)) {
    throw new Error(`unexpected wg dump output: peer line ${index} has the wrong shape`);
  }
  const psk = f[1] === NONE ? 'null' : `"${sha256Hex(f[1])}"`;
  const endpoint = f[2] === NONE ? 'null' : `"${f[2]}"`;
  const allowedIps = f[3] === NONE ? '[]' : `["${f[3].split(',').join('","')}"]`;
  return (
    `{"public_key":"${f[0]}","preshared_key_sha256":${psk},"endpoint":${endpoint},"allowed_ips":${allowedIps},` +
    `"latest_handshake":${toNumber(f[4], 'latest handshake')},"transfer_rx":${toNumber(f[5], 'transfer')},` +
    `"transfer_tx":${toNumber(f[6], 'transfer')},"persistent_keepalive":${f[7] === 'off' ? 0 : toNumber(f[7], 'keepalive')}}`
  );
}

function emptyOutput(): Error {
  return new Error('unexpected wg dump output: empty');
}

/** Parses `wg show <iface> dump` into objects, through the one mapping of DumpJsonWriter. */
export function parseDump(name: string, output: Buffer): Dump {
  const writer = new DumpJsonWriter(name);
  writer.write(output);
  return JSON.parse(writer.end().toString('latin1')) as Dump;
}

/** One peer of `wg show <iface> dump`, found without parsing the others; null when it is not there. */
export function findDumpPeer(output: Buffer, key: string): DumpPeer | null {
  const start = output.indexOf(`\n${key}\t`);
  if (start < 0) return null;
  let end = output.indexOf(NEWLINE, start + 1);
  if (end < 0) end = output.length;
  return JSON.parse(peerJson(output.toString('utf8', start + 1, end), 1)) as DumpPeer;
}

/**
 * Turns `wg show <iface> dump` into the dump's JSON while wg's output streams in, peer by peer, in small
 * string pieces: no copy of the whole output and no object per peer is ever held, so building a
 * 10,000-peer dump leaves little garbage beyond the answer itself.
 */
export class DumpJsonWriter {
  private readonly pieces: string[] = [];
  /** Fragments of the piece being built; join() makes them one flat string. */
  private fragments: string[] = [];
  private fragmentChars = 0;
  private lines = 0;
  /** The unfinished last line of the previous piece of output. */
  private partial: Buffer | null = null;

  constructor(private readonly name: string) {}

  write(output: Buffer): void {
    let start = 0;
    if (this.partial) {
      const firstEnd = output.indexOf(NEWLINE);
      if (firstEnd < 0) {
        this.partial = Buffer.concat([this.partial, output]);
        return;
      }
      const line = Buffer.concat([this.partial, output.subarray(0, firstEnd)]);
      forEachLine(line, 0, line.length, (text) => this.add(text));
      this.partial = null;
      start = firstEnd + 1;
    }
    const lastEnd = output.lastIndexOf(NEWLINE);
    if (lastEnd >= start) forEachLine(output, start, lastEnd, (text) => this.add(text));
    const rest = Math.max(start, lastEnd + 1);
    // A copy, so the (64 KiB) piece of output is not kept alive for a few bytes.
    if (rest < output.length) this.partial = Buffer.from(output.subarray(rest));
  }

  /** The JSON as bytes, encoded once however many answers send it. */
  end(): Buffer {
    if (this.partial) forEachLine(this.partial, 0, this.partial.length, (text) => this.add(text));
    this.partial = null;
    if (this.lines === 0) throw emptyOutput();
    this.fragments.push(']}');
    this.pieces.push(this.fragments.join(''));
    this.fragments = [];
    // Every character is ASCII (see NEEDS_ESCAPING), so one byte each.
    const bytes = Buffer.allocUnsafe(this.pieces.reduce((total, piece) => total + piece.length, 0));
    let offset = 0;
    for (const piece of this.pieces) offset += bytes.write(piece, offset, 'latin1');
    return bytes;
  }

  private add(line: string): void {
    const index = this.lines++;
    const fragment =
      index === 0
        ? `{"interface":${interfaceJson(this.name, line)},"peers":[`
        : (index > 1 ? ',' : '') + peerJson(line, index);
    this.fragments.push(fragment);
    this.fragmentChars += fragment.length;
    if (this.fragmentChars >= JSON_PIECE_CHARS) {
      this.pieces.push(this.fragments.join(''));
      this.fragments = [];
      this.fragmentChars = 0;
    }
  }
}
