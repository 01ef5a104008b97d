import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AuditCheckpoints } from './audit-checkpoints.service';
import { AuditSelfCheck } from './audit-self-check.service';

/**
 * Runs the sealer every AUDIT_SEAL_INTERVAL_MS and the self-check at start-up and every
 * AUDIT_VERIFY_INTERVAL_S. Several instances may run both: sealing is serialised by its lock.
 */
@Injectable()
export class AuditScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditScheduler.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private sealing: Promise<unknown> | null = null;
  private verifying: Promise<unknown> | null = null;

  constructor(
    private readonly checkpoints: AuditCheckpoints,
    private readonly selfCheck: AuditSelfCheck,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.checkpoints.ensureKey();
    const { sealIntervalMs, verifyIntervalS } = this.config.audit;
    if (sealIntervalMs > 0) {
      await this.seal();
      this.timers.push(setInterval(() => void this.seal(), sealIntervalMs));
    }
    void this.verify();
    this.timers.push(setInterval(() => void this.verify(), verifyIntervalS * 1000));
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([this.sealing, this.verifying]);
  }

  private seal(): Promise<unknown> {
    this.sealing ??= this.checkpoints
      .sealAndCheckpoint()
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'audit sealing failed; retrying'))
      .finally(() => (this.sealing = null));
    return this.sealing;
  }

  private verify(): Promise<unknown> {
    this.verifying ??= this.selfCheck
      .verify()
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'audit self-check failed to run'))
      .finally(() => (this.verifying = null));
    return this.verifying;
  }
}
