import { EntityManager } from '@mikro-orm/postgresql';
import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { ReceiptCheck } from '@wgfleet/protocol';
import { randomUUID } from 'node:crypto';
import { systemContext } from '../../common/auth/auth.decorators';
import { ApiError } from '../../common/http/api-error';
import { SecretBox } from '../../common/crypto/secret-box';
import { sealContext } from '../../common/crypto/secret-box.provider';
import { AgentClient, AgentError, type AgentFailureReason } from '../agent-client';
import { AgentClientFactory, AgentConnection } from '../agent-client/agent-client.module';
import { EventStore } from '../events';
import { NodeEntity } from './node.entity';
import { NODE_RECEIPT_AGGREGATE, NODE_RECEIPT_RECORDED, type NodeReceiptRecorded } from './node.events';

const SYSTEM = systemContext('node-agents');

/** The one place that opens a node's sealed agent secret, to build the signed client for that node. */
@Injectable()
export class NodeAgents {
  private readonly logger = new Logger(NodeAgents.name);

  constructor(
    private readonly factory: AgentClientFactory,
    private readonly box: SecretBox,
    private readonly em: EntityManager,
    private readonly events: EventStore,
  ) {}

  /**
   * With a pinned receipt key, each batch and syncconf answer must carry a valid receipt: a verified one is
   * recorded in the chained log, any other makes the call fail as unverified (docs/AUDIT.md "Node receipts").
   */
  forNode(node: NodeEntity): AgentClient {
    const receipts = node.receiptKey
      ? { publicKey: node.receiptKey, onReceipt: (check: ReceiptCheck) => this.recordReceipt(node, check) }
      : null;
    return this.factory.forNode({ id: node.id, ...this.connectionOf(node), receipts });
  }

  /** How to reach a registered node's agent, its secret opened for this call. */
  connectionOf(node: NodeEntity): Omit<AgentConnection, 'id'> {
    return {
      agent_url: node.agentUrl,
      interface: node.interface,
      agent_secret: this.box.open(node.agentSecretSealed, sealContext.agentSecret(node.id)),
      agent_ca_cert: node.agentCaCert,
      agent_cert_fingerprint: node.agentCertFingerprint,
    };
  }

  private async recordReceipt(node: NodeEntity, check: ReceiptCheck): Promise<void> {
    if (!check.ok) {
      this.logger.warn({ node_id: node.id, reason: check.reason, detail: check.detail }, 'unverified apply');
      return;
    }
    await this.em.fork().transactional((tx) =>
      this.events.append<NodeReceiptRecorded>(
        tx,
        {
          aggregateType: NODE_RECEIPT_AGGREGATE,
          aggregateId: randomUUID(),
          type: NODE_RECEIPT_RECORDED,
          payload: { node_id: node.id, receipt: { ...check.receipt } },
        },
        0,
        SYSTEM,
      ),
    );
  }

  /** The agent's receipt key to pin; null when it signs none, or does not say (an agent before receipts). */
  /**
   * The agent's receipt key to pin. Only an agent without the receipt route (404: one that signs no receipts)
   * gives null; any other failure is no answer to pin from, and fails as an unverified agent does: a pin left
   * empty, or emptied by a refresh, would turn the receipt check off for good.
   */
  async receiptKeyOf(connection: Omit<AgentConnection, 'id'>): Promise<string | null> {
    try {
      return await this.factory.forNode({ ...connection, id: null }).receiptKey();
    } catch (error) {
      if (error instanceof AgentError && error.status === 404) {
        this.logger.warn({ reason: error.reason }, 'agent has no receipt key: the node signs no receipts');
        return null;
      }
      throw new AgentNotVerifiedError(error instanceof AgentError ? error.reason : 'unreachable');
    }
  }

  /** As receiptKeyOf, but null when the agent does not answer: for a node registered without its agent. */
  probeReceiptKey(connection: Omit<AgentConnection, 'id'>): Promise<string | null> {
    return this.nullUnlessVerified(
      () => this.receiptKeyOf(connection),
      'agent gave no receipt key at registration: nothing pinned',
    );
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
  probe(connection: Omit<AgentConnection, 'id'>): Promise<ObservedInterface | null> {
    return this.nullUnlessVerified(() => this.verify(connection), 'agent did not answer at registration');
  }

  private async nullUnlessVerified<T>(call: () => Promise<T>, warning: string): Promise<T | null> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof AgentNotVerifiedError)) throw error;
      this.logger.warn({ reason: error.reason }, warning);
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
