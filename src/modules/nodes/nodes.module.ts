import { Module, OnModuleInit } from '@nestjs/common';
import { AgentClientModule } from '../agent-client/agent-client.module';
import { Reactions } from '../../common/reactions';
import { PROJECTIONS } from '../events';
import { TEMPLATE_FOLLOWERS } from '../templates';
import { TemplatesModule } from '../templates/templates.module';
import { NodeAgents } from './node-agents.service';
import { NodeViewExtensions } from './node-view';
import { NodeProjection } from './node.projection';
import { NodesController } from './nodes.controller';
import { NodesService } from './nodes.service';
import { NodesStore } from './nodes.store';
import { NodeEntity } from './node.entity';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const NODES_ENTITIES = [NodeEntity];

@Module({
  imports: [AgentClientModule, TemplatesModule],
  controllers: [NodesController],
  providers: [NodesService, NodeProjection, NodeAgents, NodeViewExtensions, NodesStore],
  exports: [NodesService, NodeAgents, NodeViewExtensions, NodesStore],
})
export class NodesModule implements OnModuleInit {
  constructor(
    private readonly reactions: Reactions,
    private readonly projection: NodeProjection,
    private readonly store: NodesStore,
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(PROJECTIONS, 'nodes: NodeProjection', this.projection);
    this.reactions.answer(TEMPLATE_FOLLOWERS, 'nodes: NodesStore', (em, templateId) =>
      this.store.followersOf(em, templateId),
    );
  }
}
