import * as ipaddr from 'ipaddr.js';

export interface ParsedCidr {
  address: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
  family: 4 | 6;
}

/** Parses "10.0.1.2", "10.0.1.2/32", "FD00::0002/128" ...; null when it is not an address or CIDR. */
export function parseCidr(value: string): ParsedCidr | null {
  if (typeof value !== 'string' || value.length > 64) return null;
  const [addressText, prefixText, ...rest] = value.trim().split('/');
  if (rest.length > 0 || !isStrictAddress(addressText)) return null;
  let address = ipaddr.parse(addressText);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    address = (address as ipaddr.IPv6).toIPv4Address();
  }
  const family = address.kind() === 'ipv4' ? 4 : 6;
  const maxPrefix = family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (prefix > maxPrefix) return null;
  return { address, prefix, family };
}

export function isCidr(value: string): boolean {
  return parseCidr(value) !== null;
}

export function isIpAddress(value: string): boolean {
  return typeof value === 'string' && value.length <= 64 && isStrictAddress(value);
}

/** Dotted-quad IPv4 or IPv6 without a zone: not the octal, short or integer forms inet_aton would guess at. */
function isStrictAddress(text: string): boolean {
  if (text.includes('.') && !text.includes(':'))
    return ipaddr.IPv4.isValidFourPartDecimal(text) && !/(^|\.)0\d/.test(text);
  return ipaddr.IPv6.isValid(text) && !text.includes('%');
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const CANONICAL_IPV4_HOST = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}/32$`);

/**
 * Canonical text: IPv4 dotted quad or RFC 5952 IPv6, always with a prefix and with host bits cleared (as
 * WireGuard stores them: 10.0.1.5/24 reads back as 10.0.1.0/24), so equal networks compare equal.
 */
export function normaliseCidr(value: string): string {
  // A peer's IPv4 host route is usually canonical already; skipping the parse makes drift scans of
  // large fleets several times cheaper.
  if (CANONICAL_IPV4_HOST.test(value)) return value;
  const parsed = parseCidr(value);
  if (!parsed) throw new Error(`not a CIDR: ${value}`);
  const network =
    parsed.address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${parsed.address.toString()}/${parsed.prefix}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${parsed.address.toString()}/${parsed.prefix}`);
  return `${network.toString()}/${parsed.prefix}`;
}

/** Normalised, de-duplicated and sorted, so two lists naming the same networks are equal as arrays. */
export function normaliseCidrSet(values: readonly string[]): string[] {
  if (values.length === 1) return [normaliseCidr(values[0])]; // most peers have one address: no set, no sort
  return [...new Set(values.map(normaliseCidr))].sort();
}

export function sameCidrSet(a: readonly string[], b: readonly string[]): boolean {
  const left = normaliseCidrSet(a);
  const right = normaliseCidrSet(b);
  return left.length === right.length && left.every((value, i) => value === right[i]);
}
