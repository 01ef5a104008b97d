import * as ipaddr from 'ipaddr.js';

const PORT = /^\d{1,5}$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

function isPort(text: string): boolean {
  return PORT.test(text) && Number(text) >= 1 && Number(text) <= 65535;
}

// ipaddr.isValid also takes legacy IPv4 forms ("127.1", "0x7f.0.0.1") that wg would read differently.
function isIPv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

function isIPv6(text: string): boolean {
  return !text.includes('%') && ipaddr.IPv6.isValid(text);
}

/** An address with an optional prefix, the way wg reads allowed-ips ("10.0.0.2" means 10.0.0.2/32). */
export function isCidr(value: string): boolean {
  if (value.length > 64) return false;
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0) return false;
  const maxPrefix = isIPv4(address) ? 32 : isIPv6(address) ? 128 : -1;
  if (maxPrefix < 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
}

/** "host:port" where host is an IPv4 address, a bracketed IPv6 address or a DNS name. */
export function isEndpoint(value: string): boolean {
  if (value.length > 261) return false;
  const bracketed = /^\[([^\]]+)\]:([^:]+)$/.exec(value);
  if (bracketed) return isIPv6(bracketed[1]) && isPort(bracketed[2]);
  const separator = value.lastIndexOf(':');
  if (separator <= 0) return false;
  const host = value.slice(0, separator);
  return (
    isPort(value.slice(separator + 1)) && (isIPv4(host) || (!/^[\d.]+$/.test(host) && HOSTNAME.test(host)))
  );
}

/** Network form with an explicit prefix ("10.0.0.5/24" → "10.0.0.0/24", "fd00::2" → "fd00::2/128"), as wg stores it. */
export function normaliseCidr(value: string): string {
  const [address, prefixText] = value.split('/');
  const parsed = ipaddr.parse(address);
  const prefix = prefixText === undefined ? (parsed.kind() === 'ipv4' ? 32 : 128) : Number(prefixText);
  const network =
    parsed.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address}/${prefix}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address}/${prefix}`);
  return `${network.toString()}/${prefix}`;
}
