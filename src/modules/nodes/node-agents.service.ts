import { Injectable, Logger } from '@nestjs/common';
import { SecretBox } from '../../common/crypto/secret-box';
import { sealContext } from '../../common/crypto/secret-box.provider';
import { AgentClient } from '../agent-client/agent-client';
import { AgentClientFactory, AgentConnection } from '../agent-client/agent-client.module';
import { NodeEntity } from './node.entity';

/** The one place that opens a node's sealed agent secret, to build the signed client for that node. */
@Injectable()
export class NodeAgents {
  private readonly logger = new Logger(NodeAgents.name);

  constructor(
    private readonly factory: AgentClientFactory,
    private readonly box: SecretBox,
  ) {}

  forNode(node: NodeEntity): AgentClient {
    return this.factory.forNode({
      id: node.id,
      agent_url: node.agentUrl,
      interface: node.interface,
      agent_secret: this.box.open(node.agentSecretSealed, sealContext.agentSecret(node.id)),
      agent_ca_cert: node.agentCaCert,
      agent_cert_fingerprint: node.agentCertFingerprint,
    });
  }

  /** What a node being registered reports about itself, or null when its agent does not answer. */
  async probe(
    connection: Omit<AgentConnection, 'id'>,
  ): Promise<{ public_key: string; listen_port: number } | null> {
    try {
      const dump = await this.factory.forNode({ ...connection, id: null }).dump();
      return { public_key: dump.interface.public_key, listen_port: dump.interface.listen_port };
    } catch (error) {
      this.logger.warn(
        { agent_url: connection.agent_url, err: (error as Error).message },
        'agent did not answer at registration',
      );
      return null;
    }
  }
}
