/**
 * How a cluster publishes which member its endpoint name resolves to (docs/API.md "Clusters"). Secrets are
 * write-only: the panel stores them sealed, hands them only to the failover module unsealed, and views say
 * `has_secret` instead.
 */

export const DNS_PROVIDERS = ['rfc2136', 'webhook'] as const;
export type DnsProvider = (typeof DNS_PROVIDERS)[number];

export const TSIG_ALGORITHMS = [
  'hmac-sha256',
  'hmac-sha384',
  'hmac-sha512',
  'hmac-sha224',
  'hmac-sha1',
] as const;
export type TsigAlgorithm = (typeof TSIG_ALGORITHMS)[number];

interface Rfc2136Fields {
  provider: 'rfc2136';
  /** "host:port" of the primary name server taking dynamic updates. */
  server: string;
  zone: string;
  tsig_key_name: string;
  tsig_algorithm: TsigAlgorithm;
  ttl: number;
}

interface WebhookFields {
  provider: 'webhook';
  url: string;
}

/** As given and as the failover module uses it: with the secret in the clear. */
export type DnsConfig = (Rfc2136Fields & { tsig_secret: string }) | (WebhookFields & { secret: string });

/** As stored and carried by events. */
export type SealedDnsConfig =
  (Rfc2136Fields & { tsig_secret_sealed: string }) | (WebhookFields & { secret_sealed: string });

/** As shown: everything but the secret. */
export type DnsConfigView = (Rfc2136Fields | WebhookFields) & { has_secret: true };

export function sealDnsConfig(config: DnsConfig, seal: (secret: string) => string): SealedDnsConfig {
  if (config.provider === 'rfc2136') {
    const { tsig_secret, ...fields } = config;
    return { ...fields, tsig_secret_sealed: seal(tsig_secret) };
  }
  const { secret, ...fields } = config;
  return { ...fields, secret_sealed: seal(secret) };
}

export function openDnsConfig(config: SealedDnsConfig, open: (sealed: string) => string): DnsConfig {
  if (config.provider === 'rfc2136') {
    const { tsig_secret_sealed, ...fields } = config;
    return { ...fields, tsig_secret: open(tsig_secret_sealed) };
  }
  const { secret_sealed, ...fields } = config;
  return { ...fields, secret: open(secret_sealed) };
}

export function dnsConfigView(config: SealedDnsConfig): DnsConfigView {
  if (config.provider === 'rfc2136') {
    const { tsig_secret_sealed: _sealed, ...fields } = config;
    return { ...fields, has_secret: true };
  }
  const { secret_sealed: _sealed, ...fields } = config;
  return { ...fields, has_secret: true };
}
