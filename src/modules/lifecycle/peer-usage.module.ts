import { Module } from '@nestjs/common';
import { PeerActivityStore } from './peer-activity.store';
import { PeerUsageStore } from './peer-usage.store';

/**
 * Peer activity and usage accounting, on their own so the drift scanner can record a scan's activity (which
 * counts usage) and the metrics can read it without depending on enforcement.
 */
@Module({ providers: [PeerUsageStore, PeerActivityStore], exports: [PeerUsageStore, PeerActivityStore] })
export class PeerUsageModule {}
