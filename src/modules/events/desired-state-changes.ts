import { Injectable, Logger } from '@nestjs/common';

export type DesiredStateListener = (nodeId: string) => Promise<void>;

/**
 * Told after a command has committed a change to a node's desired state (the node itself or one of its
 * peers), so the sync module can carry it to the node without the command modules knowing about it.
 * A listener failing never fails the command: the change is durable and the next scan still sees it.
 */
@Injectable()
export class DesiredStateChanges {
  private readonly logger = new Logger(DesiredStateChanges.name);
  private readonly listeners: DesiredStateListener[] = [];

  subscribe(listener: DesiredStateListener): void {
    this.listeners.push(listener);
  }

  async changed(nodeId: string): Promise<void> {
    for (const listener of this.listeners) {
      await listener(nodeId).catch((error: Error) =>
        this.logger.warn({ node_id: nodeId, err: error.message }, 'could not schedule applying a change'),
      );
    }
  }
}
