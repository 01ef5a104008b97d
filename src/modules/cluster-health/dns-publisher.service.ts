import { Inject, Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { DnsConfig } from '../clusters';
import { WebhookSender } from '../notifications';
import { parseDnsServer, publishRfc2136, readAddresses } from './dns/rfc2136';
import { publishWebhook } from './dns/webhook-publisher';

/** Where the cluster's host name is published, and what DNS says about it now. */
@Injectable()
export class DnsPublisher {
  constructor(
    private readonly sender: WebhookSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Replaces the address set of `host`; throws DnsPublishError (never naming a secret) when it was not taken. */
  publish(dns: DnsConfig, clusterId: string, host: string, addresses: readonly string[]): Promise<void> {
    if (dns.provider === 'rfc2136') {
      return publishRfc2136(dns, host, addresses, this.config.clusters.dnsTimeoutMs);
    }
    return publishWebhook((url, body, headers) => this.sender.send(url, body, headers), dns, {
      cluster_id: clusterId,
      host,
      addresses: [...addresses],
    });
  }

  /**
   * What DNS answers now: the configured server itself for RFC 2136 (no cache between), the panel's resolver for
   * a webhook provider (whose servers the panel does not know).
   */
  async readNow(dns: DnsConfig, host: string): Promise<string[]> {
    if (dns.provider === 'rfc2136') {
      return readAddresses(parseDnsServer(dns.server), host, this.config.clusters.dnsTimeoutMs);
    }
    const answers = await lookup(host, { all: true }).catch(() => []);
    return answers.map((answer) => answer.address).sort();
  }
}
