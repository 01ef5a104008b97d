import { Module } from '@nestjs/common';
import { NodesModule } from '../nodes/nodes.module';
import { PeersModule } from '../peers/peers.module';
import { SelfServiceController } from './self-service.controller';
import { SelfService } from './self-service.service';
import { OwnerLock } from './owner-lock';

/** A signed-in user's own devices ("My devices"); owns no table (docs/API.md "Self-service"). */
@Module({
  imports: [NodesModule, PeersModule],
  controllers: [SelfServiceController],
  providers: [SelfService, OwnerLock],
})
export class SelfServiceModule {}
