import { Injectable } from '@nestjs/common';
import { Reactions, tellTopic } from '../../common/reactions';

/**
 * Told after a command has committed a change to a node's desired state (the node itself or one of its
 * peers), so the sync module can carry it to the node without the command modules knowing about it.
 * A listener failing never fails the command: the change is durable and the next scan still sees it.
 */
export const DESIRED_STATE_CHANGED = tellTopic<[nodeId: string]>(
  'events.desired-state-changed',
  'afterCommit',
  'could not schedule applying a change',
);

/**
 * Tells DESIRED_STATE_CHANGED, coalesced per node: while one is being delivered, any number of further changes
 * cause exactly one more delivery after it, so a burst of creates costs listeners a couple of calls, and
 * the last change is always followed by a notification that started after it.
 */
@Injectable()
export class DesiredStateChanges {
  private readonly inFlight = new Map<string, { again: boolean; done: Promise<void> }>();

  constructor(private readonly reactions: Reactions) {}

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
          await this.reactions.tell(DESIRED_STATE_CHANGED, nodeId);
        } while (entry.again);
      } finally {
        this.inFlight.delete(nodeId);
      }
    })();
    this.inFlight.set(nodeId, entry);
    return entry.done;
  }
}
