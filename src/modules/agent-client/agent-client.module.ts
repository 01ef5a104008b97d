import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { hostLocalRange } from '../../common/domain/address-range';
import { badRequest } from '../../common/http/api-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AgentClient, type AgentClientOptions } from './agent-client';
import {
  agentUrlProblem,
  hostOf,
  hostVerdict,
  isAddressAllowed,
  type AgentUrlSettings,
} from '../../common/domain/agent-url-policy';

/** Where and how to reach one node's agent. `id` null = a one-off client (e.g. probing at registration). */
export interface AgentConnection {
  id: string | null;
  agent_url: string;
  interface: string;
  agent_secret: string;
  agent_ca_cert?: string | null;
  agent_cert_fingerprint?: string | null;
  /** The node's pinned receipt key and what sees each receipt check (AgentClientOptions.receipts). */
  receipts?: AgentClientOptions['receipts'];
}

/** One client per node and connection settings, so keep-alive connections are reused across scans and jobs. */
@Injectable()
export class AgentClientFactory implements OnApplicationShutdown {
  private readonly clients = new Map<string, { settings: string; client: AgentClient }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  forNode(connection: AgentConnection): AgentClient {
    const settings = createHash('sha256')
      .update(
        JSON.stringify([
          connection.agent_url,
          connection.interface,
          connection.agent_secret,
          connection.agent_ca_cert ?? null,
          connection.agent_cert_fingerprint ?? null,
          connection.receipts?.publicKey ?? null,
        ]),
      )
      .digest('hex');
    const cached = connection.id ? this.clients.get(connection.id) : undefined;
    if (cached?.settings === settings) return cached.client;
    cached?.client.close();
    const client = new AgentClient({
      baseUrl: connection.agent_url,
      secret: connection.agent_secret,
      interfaceName: connection.interface,
      caCert: connection.agent_ca_cert,
      certFingerprint: connection.agent_cert_fingerprint,
      timeoutMs: this.config.agentTimeoutMs,
      maxResponseBytes: this.config.agentMaxResponseBytes,
      allow: this.config.agentUrlPolicy.allow,
      receipts: connection.receipts,
    });
    if (connection.id) this.clients.set(connection.id, { settings, client });
    return client;
  }

  onApplicationShutdown(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}

/** Refuses (400 naming agent_url) connection settings the panel must not use: see AgentUrlPolicy. */
@Injectable()
export class AgentUrlGuard {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async assertUsable(settings: AgentUrlSettings): Promise<void> {
    const policy = this.config.agentUrlPolicy;
    const problem = agentUrlProblem(settings, policy);
    if (problem) throw badRequest('agent_url', problem);
    const host = hostOf(settings.agent_url);
    if (!policy.allow || hostVerdict(host, policy.allow) !== 'resolve') return;
    const addresses = await addressesOf(host, 'it cannot be checked against AGENT_URL_ALLOW');
    if (!addresses.every((address) => isAddressAllowed(address, policy.allow!)))
      throw badRequest('agent_url', 'agent_url resolves to an address outside AGENT_URL_ALLOW');
  }

  /**
   * For a claim, made with an enrollment token (a weaker secret than a write token): unless AGENT_URL_ALLOW
   * decides, the agent URL may not reach the panel's own host or link (loopback, link-local, unspecified,
   * multicast), by address or by a name resolving there.
   */
  async assertClaimable(settings: AgentUrlSettings): Promise<void> {
    await this.assertUsable(settings);
    if (this.config.agentUrlPolicy.allow) return;
    const host = hostOf(settings.agent_url);
    const addresses = isIP(host) ? [host] : await addressesOf(host, 'it cannot be checked');
    const kind = addresses.map(hostLocalRange).find((found) => found !== null);
    if (kind)
      throw badRequest(
        'agent_url',
        `agent_url is ${kind}: an enrollment claim may not point the panel at its own host or ` +
          'link (AGENT_URL_ALLOW can allow it)',
      );
  }
}

/** Every address `host` resolves to; a 400 naming agent_url when it does not resolve. */
async function addressesOf(host: string, consequence: string): Promise<string[]> {
  const entries = await lookup(host, { all: true }).catch(() => []);
  if (entries.length === 0)
    throw badRequest('agent_url', `the host name does not resolve, so ${consequence}`);
  return entries.map((entry) => entry.address);
}

@Module({
  providers: [AgentClientFactory, AgentUrlGuard],
  exports: [AgentClientFactory, AgentUrlGuard],
})
export class AgentClientModule {}
