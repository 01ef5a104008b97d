import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { ScanListener, StoredScan } from '../drift';
import { PeerActivityStore } from './peer-activity.store';

/** Records the peer activity (and so the usage) a scan saw, in the scan's own transaction. */
@Injectable()
export class PeerActivityRecorder implements ScanListener {
  constructor(private readonly activity: PeerActivityStore) {}

  async onScanStored(em: EntityManager, scan: StoredScan): Promise<void> {
    if (scan.activity) await this.activity.record(em, scan.nodeId, scan.activity, scan.checkedAt);
  }
}
