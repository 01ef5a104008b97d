import { Module } from '@nestjs/common';
import { AgentClientModule } from '../agent-client/agent-client.module';
import { NodesModule } from '../nodes/nodes.module';
import { EnrollmentsController } from './enrollments.controller';
import { EnrollmentsService } from './enrollments.service';
import { EnrollmentEntity } from './enrollment.entity';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const ENROLLMENTS_ENTITIES = [EnrollmentEntity];

/** Nodes that register themselves with a one-time token (docs/API.md, Resources; docs/ONBOARDING.md). */
@Module({
  imports: [NodesModule, AgentClientModule],
  controllers: [EnrollmentsController],
  providers: [EnrollmentsService],
})
export class EnrollmentsModule {}
