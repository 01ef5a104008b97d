import { isIP } from 'node:net';
import { CliError } from './exit-codes';

/** True for names and addresses that never leave this host. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) === 4 ? host.startsWith('127.') : host === '::1';
}

/**
 * Every request carries the API token, so a plain http:// panel is refused unless it is on this host or the
 * user said `--insecure` (docs/SECURITY.md, "The CLI's token on the wire").
 */
export function assertTokenTransport(url: string, insecure: boolean): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`"${url}" is not a URL; expected e.g. https://wgfleet.example.com`);
  }
  if (parsed.protocol === 'https:') return;
  if (parsed.protocol !== 'http:') {
    throw new CliError(`${url}: expected an https:// URL of the panel`);
  }
  if (isLoopbackHost(parsed.hostname) || insecure) return;
  throw new CliError(
    `refusing to send the API token in clear to ${parsed.host}: use https://${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}, ` +
      'or give --insecure if the path to the panel is trusted (http:// is allowed to this host only)',
  );
}
