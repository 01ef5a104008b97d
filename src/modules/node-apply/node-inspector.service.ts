import { Inject, Injectable } from '@nestjs/common';
import type { Dump } from '@wgfleet/protocol';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { detectDrift } from '../drift/domain/drift-detector';
import type { NodeDriftReport, PendingPeer } from '../drift/domain/drift-report';
import { NodeAgents, NodeEntity } from '../nodes';
import type { DesiredSnapshot } from '../peers';
import { planStateFingerprint } from './domain/reconcile-plan';

/** Reads what a node is (its agent) and compares it with what it should be (a DesiredSnapshot). */
@Injectable()
export class NodeInspector {
  constructor(
    private readonly agents: NodeAgents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  observe(node: NodeEntity): Promise<Dump> {
    return this.agents.forNode(node).dump();
  }

  report(snapshot: DesiredSnapshot, dump: Dump, pending: readonly PendingPeer[] = []): NodeDriftReport {
    return detectDrift({
      node: snapshot.desiredNode,
      peers: snapshot.desiredPeers,
      managedKeys: snapshot.managedKeys,
      pending,
      dump,
      defaults: this.config.defaults,
      checkedAt: new Date(),
    });
  }

  fingerprint(snapshot: DesiredSnapshot, dump: Dump): string {
    return planStateFingerprint({
      desiredPeers: snapshot.desiredPeers,
      node: snapshot.desiredNode,
      defaults: this.config.defaults,
      dump,
    });
  }
}
