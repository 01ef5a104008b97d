import { EntityManager } from '@mikro-orm/postgresql';
import { Module, OnModuleInit } from '@nestjs/common';
import { NODE_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { NodeScopes } from './node-scope';
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
  providers: [NodesService, NodeProjection, NodeAgents, NodeViewExtensions, NodesStore, NodeScopes],
  exports: [NodesService, NodeAgents, NodeViewExtensions, NodesStore, NodeScopes],
})
export class NodesModule implements OnModuleInit {
  constructor(
    private readonly reactions: Reactions,
    private readonly projection: NodeProjection,
    private readonly em: EntityManager,
    private readonly store: NodesStore,
    private readonly scopes: NodeScopes,
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(PROJECTIONS, 'nodes: NodeProjection', this.projection);
    this.reactions.answer(NODE_SCOPE_TARGET, 'nodes: NodeScopes', async (id) => {
      const em = this.em.fork();
      const node = await this.store.find(em, id);
      return node ? this.scopes.target(em, node) : null;
    });
    this.reactions.answer(TEMPLATE_FOLLOWERS, 'nodes: NodesStore', (em, templateId) =>
      this.store.followersOf(em, templateId),
    );
  }
}
