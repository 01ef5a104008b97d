import { isFQDN } from 'class-validator';
import * as ipaddr from 'ipaddr.js';
import { parseCidr, type ParsedCidr } from './cidr';

/**
 * Where the panel may send signed requests (AGENT_URL_ALLOW): networks and exact host names. A host name on
 * the list is allowed whatever it resolves to; any other name only when every address it resolves to lies in
 * one of the networks (checked again on every connection, so a name cannot be re-pointed after registration).
 */
export interface AgentUrlAllowList {
  networks: readonly ParsedCidr[];
  hostNames: ReadonlySet<string>;
}

/** How the panel reaches a node, as its view shows it. */
export const AGENT_TRANSPORTS = ['https-pinned', 'https', 'http'] as const;
export type AgentTransport = (typeof AGENT_TRANSPORTS)[number];

export interface AgentUrlPolicy {
  requireTls: boolean;
  allow: AgentUrlAllowList | null;
}

export interface AgentUrlSettings {
  agent_url: string;
  agent_ca_cert?: string | null;
  agent_cert_fingerprint?: string | null;
}

export function isAllowListItem(item: string): boolean {
  return parseCidr(item) !== null || isFQDN(item, { require_tld: false });
}

export function parseAllowList(items: readonly string[]): AgentUrlAllowList | null {
  if (items.length === 0) return null;
  const networks: ParsedCidr[] = [];
  const hostNames = new Set<string>();
  for (const item of items) {
    const network = parseCidr(item);
    if (network) networks.push(network);
    else hostNames.add(item.toLowerCase());
  }
  return { networks, hostNames };
}

/** https with a CA certificate or a pinned fingerprint; https trusting the system CAs; plain http. */
export function agentTransport(settings: AgentUrlSettings): AgentTransport {
  if (new URL(settings.agent_url).protocol === 'http:') return 'http';
  return settings.agent_ca_cert || settings.agent_cert_fingerprint ? 'https-pinned' : 'https';
}

/** The URL's host without IPv6 brackets, lower-case. */
export function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

export function isAddressAllowed(address: string, allow: AgentUrlAllowList): boolean {
  if (!ipaddr.isValid(address)) return false;
  // "::ffff:10.0.0.5" is 10.0.0.5: checked as the IPv4 address it reaches.
  const parsed = ipaddr.process(address);
  return allow.networks.some(
    (network) => network.address.kind() === parsed.kind() && parsed.match(network.address, network.prefix),
  );
}

/**
 * What can be decided without DNS: 'allowed' (an allowed literal address or listed name), 'denied' (a
 * literal address outside the networks), or 'resolve' (a name whose addresses decide).
 */
export function hostVerdict(host: string, allow: AgentUrlAllowList): 'allowed' | 'denied' | 'resolve' {
  if (ipaddr.isValid(host)) return isAddressAllowed(host, allow) ? 'allowed' : 'denied';
  return allow.hostNames.has(host) ? 'allowed' : 'resolve';
}

/** A problem with the node's connection settings that makes them unusable under this policy, or null. */
export function agentUrlProblem(settings: AgentUrlSettings, policy: AgentUrlPolicy): string | null {
  const transport = agentTransport(settings);
  if (transport === 'http' && (settings.agent_ca_cert || settings.agent_cert_fingerprint)) {
    return 'agent_url must be https:// when agent_ca_cert or agent_cert_fingerprint is set (plain http would ignore them)';
  }
  if (transport === 'http' && policy.requireTls) {
    return 'agent_url must be https:// (PANEL_REQUIRE_AGENT_TLS is on)';
  }
  if (policy.allow && hostVerdict(hostOf(settings.agent_url), policy.allow) === 'denied') {
    return 'agent_url is not in AGENT_URL_ALLOW';
  }
  return null;
}
