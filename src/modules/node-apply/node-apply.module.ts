import { Module } from '@nestjs/common';
import { NodesModule } from '../nodes/nodes.module';
import { PeersModule } from '../peers/peers.module';
import { NodeInspector } from './node-inspector.service';
import { PlanExecutor } from './plan-executor.service';

/**
 * Applying to a node: reading what it runs (NodeInspector) and carrying a plan to it (PlanExecutor). Below
 * reconcile and sync, which both plan with its domain/ and apply here.
 */
@Module({
  imports: [NodesModule, PeersModule],
  providers: [NodeInspector, PlanExecutor],
  exports: [NodeInspector, PlanExecutor],
})
export class NodeApplyModule {}
