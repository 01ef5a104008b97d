import type { EffectivePeerSettings } from '../../../common/domain/desired-state';

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
  settings: EffectivePeerSettings;
}

/** Renders a wg-quick client config (what WireGuard apps import). */
export function renderClientConfig(input: ClientConfigInput): string {
  const { settings } = input;
  const interfaceLines = [
    '[Interface]',
    // wg-quick and the apps reject a placeholder value, so the missing key is explained in a comment instead.
    input.privateKey === null
      ? `# PrivateKey not stored by the panel: add "PrivateKey = ..." with the private key of ${input.publicKey}`
      : `PrivateKey = ${input.privateKey}`,
    `Address = ${input.addresses.join(', ')}`,
    settings.dns.length > 0 ? `DNS = ${settings.dns.join(', ')}` : null,
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
  return [
    `# ${singleLine(input.name)}`,
    ...interfaceLines.filter(isLine),
    '',
    ...peerLines.filter(isLine),
    '',
  ].join('\n');
}

/** A name with a line break could otherwise inject config lines. */
function singleLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

function isLine(line: string | null): line is string {
  return line !== null;
}
