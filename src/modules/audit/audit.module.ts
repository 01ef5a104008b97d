import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { AuditCheckpoints } from './audit-checkpoints.service';
import { AuditScheduler } from './audit-scheduler.service';
import { AuditSelfCheck } from './audit-self-check.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditStore } from './audit.store';

/** The audit chain's checkpoints, keys, export and self-check (docs/AUDIT.md); the chain itself is the events module's. */
@Module({
  imports: [NotificationsModule],
  controllers: [AuditController],
  providers: [AuditStore, AuditCheckpoints, AuditSelfCheck, AuditScheduler, AuditService],
  exports: [AuditCheckpoints, AuditSelfCheck],
})
export class AuditModule {}
