import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { ApiError } from '../../common/http/api-error';
import { SecretBox } from '../../common/crypto/secret-box';
import { sealContext } from '../../common/crypto/secret-box.provider';
import { AgentClient, AgentError, type AgentFailureReason } from '../agent-client';
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
   * What a node being registered reports about itself; a 502 unless its agent answers a signed request with a
   * correctly signed, valid answer (so whoever registers it holds the node's secret and its agent listens
   * there). Nothing of an invalid answer is stored.
   */
  async verify(connection: Omit<AgentConnection, 'id'>): Promise<ObservedInterface> {
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
      throw new AgentNotVerifiedError(error instanceof AgentError ? error.reason : 'unreachable');
    }
  }

  /** As verify, but null when the agent does not answer correctly: the node is registered and shows as unknown. */
  async probe(connection: Omit<AgentConnection, 'id'>): Promise<ObservedInterface | null> {
    try {
      return await this.verify(connection);
    } catch (error) {
      if (!(error instanceof AgentNotVerifiedError)) throw error;
      this.logger.warn({ reason: error.reason }, 'agent did not answer at registration');
      return null;
    }
  }
}

export interface ObservedInterface {
  public_key: string;
  listen_port: number | null;
}

/** The agent did not answer a signed request correctly; only the reason code is told, never what answered. */
export class AgentNotVerifiedError extends ApiError {
  constructor(readonly reason: AgentFailureReason) {
    super(
      HttpStatus.BAD_GATEWAY,
      'agent_not_verified',
      `the agent did not answer a signed request correctly (${reason}), so nothing was registered: start the ` +
        'agent with this secret at agent_url and try again',
      [{ field: 'agent_url', message: reason }],
    );
  }
}
