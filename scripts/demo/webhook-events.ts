/** The demo's webhook side: every request the receiver got, checked with the standardwebhooks package. */
import { Webhook } from 'standardwebhooks';
import type { WebhookEvent } from '../../src/modules/notifications/domain/payload-format';
import type { WebhookReceiver } from '../../test/support/webhook-receiver';
import { pollFor } from '../../test/e2e/support/fleet-flows';

export interface VerifiedEvent extends WebhookEvent {
  /** The webhook-id header: the same for every retry of one message. */
  id: string;
}

/** Every webhook received so far, each signature verified; one that does not verify is an error. */
export function verifiedEvents(receiver: WebhookReceiver, secret: string): VerifiedEvent[] {
  const webhook = new Webhook(secret);
  return receiver.received.map((request) => {
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
    );
    const event = webhook.verify(request.body, headers) as WebhookEvent;
    return { ...event, id: headers['webhook-id'] };
  });
}

/** Waits for a verified event of this type about this node. */
export function waitForEvent(
  receiver: WebhookReceiver,
  secret: string,
  type: WebhookEvent['type'],
  nodeId: string,
  timeoutMs: number,
): Promise<VerifiedEvent> {
  return pollFor(
    async (seen) => {
      const events = verifiedEvents(receiver, secret);
      seen(events.map((event) => event.type));
      return events.find((event) => event.type === type && event.data.node_id === nodeId);
    },
    { timeoutMs, intervalMs: 100, what: `a ${type} webhook` },
  );
}
