import { createHmac, timingSafeEqual } from 'node:crypto';
import { CLASS_ANY, TYPE_TSIG, wireName } from './dns-wire';

/**
 * TSIG (RFC 8945) over a message encoded elsewhere: dns-packet encodes and decodes DNS messages but does not sign
 * them, so the MAC is computed here over the exact bytes sent. The algorithm names are RFC 8945 6's; HMAC-SHA256
 * is the one to use.
 */
export const TSIG_ALGORITHMS = {
  'hmac-sha1': 'sha1',
  'hmac-sha224': 'sha224',
  'hmac-sha256': 'sha256',
  'hmac-sha384': 'sha384',
  'hmac-sha512': 'sha512',
} as const;
export type TsigAlgorithm = keyof typeof TSIG_ALGORITHMS;

export const DEFAULT_FUDGE_S = 300;

export interface TsigKey {
  name: string;
  algorithm: TsigAlgorithm;
  /** The shared secret, base64 as BIND, Knot and PowerDNS print it. */
  secret: string;
}

function u16(value: number): Buffer {
  const buf = Buffer.alloc(2);
  buf.writeUInt16BE(value);
  return buf;
}

function u48(value: number): Buffer {
  const buf = Buffer.alloc(6);
  buf.writeUIntBE(value, 0, 6);
  return buf;
}

function secretBytes(key: TsigKey): Buffer {
  const bytes = Buffer.from(key.secret, 'base64');
  // The message names the key, never the secret.
  if (bytes.length === 0) throw new Error(`TSIG key ${key.name} has an empty or non-base64 secret`);
  return bytes;
}

/** The TSIG variables (RFC 8945 4.3.3) the MAC covers after the message. */
function tsigVariables(
  key: TsigKey,
  timeSigned: number,
  fudge: number,
  error: number,
  other: Buffer,
): Buffer {
  return Buffer.concat([
    wireName(key.name),
    u16(CLASS_ANY),
    Buffer.alloc(4), // TTL 0
    wireName(`${key.algorithm}.`),
    u48(timeSigned),
    u16(fudge),
    u16(error),
    u16(other.length),
    other,
  ]);
}

function mac(key: TsigKey, parts: Buffer[]): Buffer {
  const hmac = createHmac(TSIG_ALGORITHMS[key.algorithm], secretBytes(key));
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

export interface SignedMessage {
  message: Buffer;
  /** The request MAC, which the server's answer MAC covers (RFC 8945 5.3). */
  requestMac: Buffer;
}

/** Appends a TSIG RR to `message` (its ARCOUNT incremented) signed at `timeSigned` (seconds since the epoch). */
export function signTsig(
  message: Buffer,
  key: TsigKey,
  timeSigned: number,
  fudge = DEFAULT_FUDGE_S,
): SignedMessage {
  const requestMac = mac(key, [message, tsigVariables(key, timeSigned, fudge, 0, Buffer.alloc(0))]);
  const rdata = Buffer.concat([
    wireName(`${key.algorithm}.`),
    u48(timeSigned),
    u16(fudge),
    u16(requestMac.length),
    requestMac,
    message.subarray(0, 2), // original ID
    u16(0), // error
    u16(0), // other len
  ]);
  const rr = Buffer.concat([
    wireName(key.name),
    u16(TYPE_TSIG),
    u16(CLASS_ANY),
    Buffer.alloc(4),
    u16(rdata.length),
    rdata,
  ]);
  const signed = Buffer.concat([message, rr]);
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return { message: signed, requestMac };
}

export type TsigVerdict =
  | { ok: true }
  | {
      ok: false;
      reason: 'unsigned' | 'malformed' | 'wrong key' | 'bad mac' | 'time' | `tsig error ${number}`;
    };

/**
 * Checks the TSIG RR that ends a server's `answer` to a request signed with `requestMac`. The answer is untrusted:
 * every length is checked before it is read, and the MAC is compared in constant time.
 */
export function verifyTsigAnswer(
  answer: Buffer,
  key: TsigKey,
  requestMac: Buffer,
  nowS: number,
): TsigVerdict {
  if (answer.length < 12 || answer.readUInt16BE(10) === 0) return { ok: false, reason: 'unsigned' };
  const owner = wireName(key.name);
  const algorithm = wireName(`${key.algorithm}.`);
  // The TSIG RR is the last record and its names are never compressed (RFC 8945 4.2), so it can be found from
  // the end once its RDATA length is known; scan for the owner name followed by TYPE TSIG.
  const marker = Buffer.concat([owner, u16(TYPE_TSIG), u16(CLASS_ANY)]);
  const start = answer.lastIndexOf(marker);
  if (start < 12) return { ok: false, reason: 'unsigned' };
  let at = start + marker.length + 4;
  if (at + 2 > answer.length) return { ok: false, reason: 'malformed' };
  const rdlength = answer.readUInt16BE(at);
  at += 2;
  if (at + rdlength !== answer.length) return { ok: false, reason: 'malformed' };
  if (!answer.subarray(at, at + algorithm.length).equals(algorithm))
    return { ok: false, reason: 'wrong key' };
  at += algorithm.length;
  if (at + 10 > answer.length) return { ok: false, reason: 'malformed' };
  const timeSigned = answer.readUIntBE(at, 6);
  const fudge = answer.readUInt16BE(at + 6);
  const macSize = answer.readUInt16BE(at + 8);
  at += 10;
  if (at + macSize + 6 > answer.length) return { ok: false, reason: 'malformed' };
  const answerMac = answer.subarray(at, at + macSize);
  at += macSize;
  const originalId = answer.subarray(at, at + 2);
  const error = answer.readUInt16BE(at + 2);
  const otherLen = answer.readUInt16BE(at + 4);
  at += 6;
  if (at + otherLen !== answer.length) return { ok: false, reason: 'malformed' };
  const other = answer.subarray(at, at + otherLen);
  if (error !== 0) return { ok: false, reason: `tsig error ${error}` };

  const unsigned = Buffer.from(answer.subarray(0, start));
  originalId.copy(unsigned, 0);
  unsigned.writeUInt16BE(answer.readUInt16BE(10) - 1, 10);
  const expected = mac(key, [
    u16(requestMac.length),
    requestMac,
    unsigned,
    tsigVariables(key, timeSigned, fudge, error, other),
  ]);
  if (answerMac.length !== expected.length || !timingSafeEqual(answerMac, expected)) {
    return { ok: false, reason: 'bad mac' };
  }
  if (Math.abs(nowS - timeSigned) > fudge) return { ok: false, reason: 'time' };
  return { ok: true };
}
