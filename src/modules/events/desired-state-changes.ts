import { Injectable, Logger } from '@nestjs/common';

export type DesiredStateListener = (nodeId: string) => Promise<void>;

/**
 * Told after a command has committed a change to a node's desired state (the node itself or one of its
 * peers), so the sync module can carry it to the node without the command modules knowing about it.
 * A listener failing never fails the command: the change is durable and the next scan still sees it.
 *
 * Notifications for one node are coalesced: while one is being delivered, any number of further changes
 * cause exactly one more delivery after it, so a burst of creates costs listeners a couple of calls, and
 * the last change is always followed by a notification that started after it.
 */
@Injectable()
export class DesiredStateChanges {
  private readonly logger = new Logger(DesiredStateChanges.name);
  private readonly listeners: DesiredStateListener[] = [];
  private readonly inFlight = new Map<string, { again: boolean; done: Promise<void> }>();

  subscribe(listener: DesiredStateListener): void {
    this.listeners.push(listener);
  }

  changed(nodeId: string): Promise<void> {
    const current = this.inFlight.get(nodeId);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await this.notify(nodeId);
        } while (entry.again);
      } finally {
        this.inFlight.delete(nodeId);
      }
    })();
    this.inFlight.set(nodeId, entry);
    return entry.done;
  }

  private async notify(nodeId: string): Promise<void> {
    for (const listener of this.listeners) {
      await listener(nodeId).catch((error: Error) =>
        this.logger.warn({ node_id: nodeId, err: error.message }, 'could not schedule applying a change'),
      );
    }
  }
}
