import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressRange } from '../../../common/domain/address-range';

/** Ranges a subscription may reach only when the operator allows private targets. */
const PRIVATE_RANGES: ReadonlySet<string> = new Set([
  'loopback',
  'private',
  'uniqueLocal',
  'carrierGradeNat',
]);

export interface AddressPolicy {
  /** Allow loopback, private, unique-local and CGNAT targets (self-hosted receivers). */
  allowPrivate?: boolean;
}

/**
 * True unless `ip` is an ordinary public unicast address. Deny by default: everything ipaddr.js classes as
 * anything but `unicast` is refused (loopback, private, link-local, unique-local, unspecified, CGNAT, multicast,
 * broadcast, reserved and documentation ranges, and 6to4/Teredo/NAT64 forms that can embed an internal IPv4);
 * an IPv4-mapped IPv6 address is judged as its IPv4 address, and IPv4-compatible IPv6 (`::/96`) is refused
 * outright. Link-local stays refused even with allowPrivate, as it holds cloud metadata services. Text that is
 * not an IP address is forbidden.
 */
export function isForbiddenAddress(ip: string, { allowPrivate = false }: AddressPolicy = {}): boolean {
  const range = addressRange(ip);
  return !(range === 'unicast' || (allowPrivate && range !== null && PRIVATE_RANGES.has(range)));
}

/** A bad webhook URL; `field` names the request field for the 400 answer. */
export class UndeliverableUrlError extends Error {
  readonly field = 'url';

  constructor(message: string) {
    super(`url ${message}`);
    this.name = 'UndeliverableUrlError';
  }
}

export type LookupAll = (
  hostname: string,
  options: { all: true },
) => Promise<{ address: string; family: number }[]>;

export interface DeliverableUrl {
  url: URL;
  /** Every address the host resolved to, all allowed: connect to one of these so DNS cannot change the target. */
  addresses: string[];
}

/**
 * Resolves when `text` is an http(s) URL without credentials whose host resolves only to allowed addresses;
 * otherwise throws UndeliverableUrlError. The URL is never echoed, only its host, in case it carries a token.
 */
export async function assertDeliverableUrl(
  text: string,
  { allowPrivate = false, lookup = dnsLookup as LookupAll }: AddressPolicy & { lookup?: LookupAll } = {},
): Promise<DeliverableUrl> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UndeliverableUrlError('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UndeliverableUrlError('must use http or https');
  }
  if (url.username || url.password)
    throw new UndeliverableUrlError('must not contain a user name or password');

  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host) ? [host] : await resolve(host, lookup);
  const forbidden = addresses.find((address) => isForbiddenAddress(address, { allowPrivate }));
  if (forbidden !== undefined) {
    throw new UndeliverableUrlError(`host ${host} resolves to ${forbidden}, which is not a public address`);
  }
  return { url, addresses };
}

async function resolve(host: string, lookup: LookupAll): Promise<string[]> {
  const results = await lookup(host, { all: true }).catch(() => []);
  if (results.length === 0) throw new UndeliverableUrlError(`host ${host} does not resolve`);
  return results.map((result) => result.address);
}
