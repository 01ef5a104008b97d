import type { EffectivePeerSettings } from '../../../common/domain/desired-state';
import { hasLineBreakOrControl } from '../../../common/domain/plain-text';

export interface ClientConfigInput {
  /** Peer name, written as a comment so users can tell their configs apart. */
  name: string;
  /** The peer's own public key, quoted when the private key has to be added by hand. */
  publicKey: string;
  /** Null when the panel does not hold it (the user brought their own key pair). */
  privateKey: string | null;
  /** The peer's allowed_ips: its tunnel addresses. */
  addresses: readonly string[];
  presharedKey: string | null;
  /** The node's interface public key. */
  serverPublicKey: string;
  /** The values only: where they come from does not go into a config. */
  settings: Omit<EffectivePeerSettings, 'sources'>;
}

/** A value that cannot be written into a config without changing its lines; `field` names it. */
export class UnsafeConfigValueError extends Error {
  constructor(readonly field: string) {
    super(`${field} holds a line break or control character and cannot be written into a client config`);
    this.name = 'UnsafeConfigValueError';
  }
}

/**
 * Renders a wg-quick client config (what WireGuard apps import). wg-quick runs `PostUp`-style lines as shell
 * commands, so a value with a line break (any of them: apps differ in what they split on) would let whoever set
 * it inject lines; input validation refuses such values, and this refuses them again whatever their source.
 */
export function renderClientConfig(input: ClientConfigInput): string {
  assertSingleLineValues(input);
  const { settings } = input;
  const interfaceLines = [
    '[Interface]',
    // wg-quick and the apps reject a placeholder value, so the missing key is explained in a comment instead.
    input.privateKey === null
      ? `# PrivateKey not stored by the panel: add "PrivateKey = ..." with the private key of ${input.publicKey}`
      : `PrivateKey = ${input.privateKey}`,
    `Address = ${input.addresses.join(', ')}`,
    // wg-quick reads the entries of `DNS =` that are not IP addresses as search domains.
    dnsLine([...settings.dns, ...settings.dns_search]),
    settings.mtu !== null ? `MTU = ${settings.mtu}` : null,
  ];
  const peerLines = [
    '[Peer]',
    `PublicKey = ${input.serverPublicKey}`,
    input.presharedKey !== null ? `PresharedKey = ${input.presharedKey}` : null,
    `Endpoint = ${settings.endpoint}`,
    `AllowedIPs = ${settings.endpoint_allowed_ips.join(', ')}`,
    settings.persistent_keepalive > 0 ? `PersistentKeepalive = ${settings.persistent_keepalive}` : null,
  ];
  return [`# ${input.name}`, ...interfaceLines.filter(isLine), '', ...peerLines.filter(isLine), ''].join(
    '\n',
  );
}

function assertSingleLineValues(input: ClientConfigInput): void {
  const { settings } = input;
  const values: Array<[string, string | null]> = [
    ['name', input.name],
    ['public_key', input.publicKey],
    ['private_key', input.privateKey],
    ['preshared_key', input.presharedKey],
    ['node.public_key', input.serverPublicKey],
    ['endpoint', settings.endpoint],
    ...input.addresses.map((address, i): [string, string] => [`allowed_ips[${i}]`, address]),
    ...settings.dns.map((server, i): [string, string] => [`dns[${i}]`, server]),
    ...settings.dns_search.map((domain, i): [string, string] => [`dns_search[${i}]`, domain]),
    ...settings.endpoint_allowed_ips.map((cidr, i): [string, string] => [`endpoint_allowed_ips[${i}]`, cidr]),
  ];
  for (const [field, value] of values) {
    if (value !== null && hasLineBreakOrControl(value)) throw new UnsafeConfigValueError(field);
  }
}

function dnsLine(entries: readonly string[]): string | null {
  return entries.length > 0 ? `DNS = ${entries.join(', ')}` : null;
}

function isLine(line: string | null): line is string {
  return line !== null;
}
