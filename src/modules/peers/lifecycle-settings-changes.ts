import { Injectable, Logger } from '@nestjs/common';

export type LifecycleSettingsListener = (peerId: string) => Promise<void>;

/**
 * Told after a command committed a change to a peer's expiry or quota, so the lifecycle module can suspend
 * or resume the peer at once without the peers module knowing about it. A listener failing never fails the
 * command: the change is durable and the next enforcement pass decides the peer again.
 */
@Injectable()
export class LifecycleSettingsChanges {
  private readonly logger = new Logger(LifecycleSettingsChanges.name);
  private readonly listeners: LifecycleSettingsListener[] = [];

  subscribe(listener: LifecycleSettingsListener): void {
    this.listeners.push(listener);
  }

  async changed(peerId: string): Promise<void> {
    for (const listener of this.listeners) {
      await listener(peerId).catch((error: Error) =>
        this.logger.warn(
          { peer_id: peerId, err: error.message },
          'could not enforce changed lifecycle settings; the next pass will',
        ),
      );
    }
  }
}
