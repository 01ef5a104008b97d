import { Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AgentClient } from './agent-client';

/** Where and how to reach one node's agent. `id` null = a one-off client (e.g. probing at registration). */
export interface AgentConnection {
  id: string | null;
  agent_url: string;
  interface: string;
  agent_secret: string;
  agent_ca_cert?: string | null;
  agent_cert_fingerprint?: string | null;
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
    });
    if (connection.id) this.clients.set(connection.id, { settings, client });
    return client;
  }

  onApplicationShutdown(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}

@Module({ providers: [AgentClientFactory], exports: [AgentClientFactory] })
export class AgentClientModule {}
