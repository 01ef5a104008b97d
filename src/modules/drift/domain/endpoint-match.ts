import * as ipaddr from 'ipaddr.js';
import { parseEndpoint } from '../../../common/domain/effective-settings';

/**
 * Whether the node's endpoint for a peer (`actual`, as `wg` shows it: an address and a port) is the one the
 * panel sets. An address is compared as an address (`[2001:DB8::1]` is `[2001:db8::1]`); a host name only by
 * its port, because `wg` resolves it once and shows the address it found.
 */
export function endpointMatches(expected: string, actual: string | null): boolean {
  const want = parseEndpoint(expected);
  const have = actual === null ? null : parseEndpoint(actual);
  if (!want || !have || want.port !== have.port) return false;
  if (!ipaddr.isValid(want.host)) return true;
  return (
    ipaddr.isValid(have.host) && ipaddr.parse(want.host).toString() === ipaddr.parse(have.host).toString()
  );
}
