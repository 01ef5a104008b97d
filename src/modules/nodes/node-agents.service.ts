import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ApiError } from '../../common/http/api-error';
import { SecretBox } from '../../common/crypto/secret-box';
import { sealContext } from '../../common/crypto/secret-box.provider';
import { AgentClient, AgentError } from '../agent-client';
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

  /**
   * What a node being registered reports about itself, or null when its agent does not answer (the node is
   * registered anyway and shows as unknown). An answer that is signed but invalid fails the registration:
   * nothing of it is stored.
   */
  async probe(
    connection: Omit<AgentConnection, 'id'>,
  ): Promise<{ public_key: string; listen_port: number | null } | null> {
    try {
      const dump = await this.factory.forNode({ ...connection, id: null }).dump();
      // 0 is wg's "no port yet", never a port a client can use.
      return { public_key: dump.interface.public_key, listen_port: dump.interface.listen_port || null };
    } catch (error) {
      if (error instanceof AgentError && error.reason === 'invalid_response') {
        throw new ApiError(
          HttpStatus.BAD_GATEWAY,
          'agent_invalid_response',
          `the agent's answer is invalid, nothing was registered: ${error.message}`,
        );
      }
      this.logger.warn({ err: (error as Error).message }, 'agent did not answer at registration');
      return null;
    }
  }
}
