import { Module } from '@nestjs/common';
import { AgentClientModule } from '../agent-client/agent-client.module';
import { NodesModule } from '../nodes/nodes.module';
import { EnrollmentsController } from './enrollments.controller';
import { EnrollmentsService } from './enrollments.service';

/** Nodes that register themselves with a one-time token (docs/API.md, Resources; docs/ONBOARDING.md). */
@Module({
  imports: [NodesModule, AgentClientModule],
  controllers: [EnrollmentsController],
  providers: [EnrollmentsService],
})
export class EnrollmentsModule {}
