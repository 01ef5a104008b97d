import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';

/**
 * IPv4-compatible IPv6 (`::a.b.c.d`, deprecated by RFC 4291): ipaddr.js calls most of it unicast, yet hosts that
 * still route it reach the embedded IPv4 address, e.g. `::7f00:1` reaches 127.0.0.1. `::` and `::1` inside it
 * keep their own ranges.
 */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/** ipaddr.js's range names (`unicast`, `loopback`, `linkLocal`, `private`, ...), plus IPv4-compatible IPv6. */
export type AddressRange = string;

/**
 * The range of the address a connection to `ip` reaches, or null when `ip` is not an IP address. Brackets and
 * an IPv6 zone id are ignored; an IPv4-mapped IPv6 address has the range of its IPv4 address; IPv4-compatible
 * IPv6 is `ipv4Compatible`, whatever it embeds.
 */
export function addressRange(ip: string): AddressRange | null {
  const text = ip.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(text);
  if (family === 0) return null;
  const address = ipaddr.process(family === 6 ? canonicalIpv6(text) : text);
  const range = address.range();
  if (range === 'unicast' && address.kind() === 'ipv6' && address.match(IPV4_COMPATIBLE)) {
    return 'ipv4Compatible';
  }
  return range;
}

/**
 * Ranges that never hold another host's service, with what an answer calls them: the panel's own host
 * (loopback, unspecified), the local link (link-local, where cloud metadata services answer), multicast and
 * broadcast, and IPv4-compatible IPv6.
 */
const HOST_LOCAL_RANGES: ReadonlyMap<AddressRange, string> = new Map([
  ['loopback', 'loopback'],
  ['unspecified', 'unspecified'],
  ['linkLocal', 'link-local'],
  ['multicast', 'multicast'],
  ['broadcast', 'broadcast'],
  ['ipv4Compatible', 'IPv4-compatible IPv6'],
]);

/** What kind of host-local address `ip` is (see HOST_LOCAL_RANGES), e.g. "link-local", or null for any other. */
export function hostLocalRange(ip: string): string | null {
  const range = addressRange(ip);
  return (range !== null && HOST_LOCAL_RANGES.get(range)) || null;
}

/**
 * The address as Node connects to it: ipaddr.js reads `::8.8.8.8` as `::ffff:8.8.8.8`, while Node (and the
 * WHATWG URL parser) take it as the IPv4-compatible `::808:808`.
 */
function canonicalIpv6(text: string): string {
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}
