import { Module } from '@nestjs/common';
import { PeerUsageStore } from './peer-usage.store';

/** Usage accounting, on its own so the drift scanner can count usage without depending on enforcement. */
@Module({ providers: [PeerUsageStore], exports: [PeerUsageStore] })
export class PeerUsageModule {}
