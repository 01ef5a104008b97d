import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';

/** DNS wire constants (RFC 1035, RFC 2136, RFC 8945). */
export const TYPE_A = 1;
export const TYPE_SOA = 6;
export const TYPE_AAAA = 28;
export const TYPE_TSIG = 250;
export const CLASS_IN = 1;
export const CLASS_ANY = 255;
export const OPCODE_UPDATE = 5;

/**
 * A domain name in canonical wire form (RFC 4034 6.2: lowercase, uncompressed), as the TSIG MAC covers it and as
 * an UPDATE names the zone and the host. Throws on a label over 63 octets or a name over 255, which no server
 * would accept either.
 */
export function wireName(name: string): Buffer {
  const trimmed = name.replace(/\.$/, '').toLowerCase();
  const labels = trimmed === '' ? [] : trimmed.split('.');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii');
    if (bytes.length === 0 || bytes.length > 63) throw new Error(`bad DNS label in "${name}"`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const wire = Buffer.concat(parts);
  if (wire.length > 255) throw new Error(`DNS name "${name}" is longer than 255 octets`);
  return wire;
}

function u16(value: number): Buffer {
  const buf = Buffer.alloc(2);
  buf.writeUInt16BE(value);
  return buf;
}

function u32(value: number): Buffer {
  const buf = Buffer.alloc(4);
  buf.writeUInt32BE(value);
  return buf;
}

function resourceRecord(owner: Buffer, type: number, klass: number, ttl: number, rdata: Buffer): Buffer {
  return Buffer.concat([owner, u16(type), u16(klass), u32(ttl), u16(rdata.length), rdata]);
}

export interface AddressSetUpdate {
  id: number;
  zone: string;
  host: string;
  ttl: number;
  /** IPv4 and IPv6 addresses; must not be empty (the caller keeps the last member rather than publish none). */
  addresses: readonly string[];
}

/**
 * An RFC 2136 UPDATE that replaces the host's whole A and AAAA sets in one message, so a server applies all of it
 * or none: delete both RRsets (class ANY, RFC 2136 2.5.2), then add each address. Unsigned; see signTsig.
 */
export function addressSetUpdate({ id, zone, host, ttl, addresses }: AddressSetUpdate): Buffer {
  if (addresses.length === 0) throw new Error('an address set update needs at least one address');
  const owner = wireName(host);
  const additions = addresses.map((address) => {
    const family = isIP(address);
    if (family === 0) throw new Error(`"${address}" is not an IP address`);
    const bytes = Buffer.from(ipaddr.parse(address).toByteArray());
    return resourceRecord(owner, family === 4 ? TYPE_A : TYPE_AAAA, CLASS_IN, ttl, bytes);
  });
  const updates = [
    resourceRecord(owner, TYPE_A, CLASS_ANY, 0, Buffer.alloc(0)),
    resourceRecord(owner, TYPE_AAAA, CLASS_ANY, 0, Buffer.alloc(0)),
    ...additions,
  ];
  const header = Buffer.concat([
    u16(id),
    u16(OPCODE_UPDATE << 11),
    u16(1), // ZOCOUNT
    u16(0), // PRCOUNT
    u16(updates.length), // UPCOUNT
    u16(0), // ADCOUNT
  ]);
  const zoneSection = Buffer.concat([wireName(zone), u16(TYPE_SOA), u16(CLASS_IN)]);
  return Buffer.concat([header, zoneSection, ...updates]);
}

/** True when `host` is `zone` or a name below it (an UPDATE for a name outside its zone is refused by servers). */
export function isInZone(host: string, zone: string): boolean {
  const h = host.replace(/\.$/, '').toLowerCase();
  const z = zone.replace(/\.$/, '').toLowerCase();
  return h === z || h.endsWith(`.${z}`);
}
