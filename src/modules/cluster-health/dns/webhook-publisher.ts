import { newMessageId, webhookHeaders } from '../../notifications/domain/standard-webhooks';
import { DnsPublishError } from './rfc2136';

export interface WebhookDnsConfig {
  url: string;
  /** "whsec_..." (Standard Webhooks); never logged, never in an error message. */
  secret: string;
}

/** What a webhook DNS provider receives: the whole address set the cluster's host name should resolve to. */
export interface AddressSetBody {
  cluster_id: string;
  host: string;
  addresses: string[];
}

/** Posts a body to a URL and reports the answer; the notifications module's WebhookSender is one. */
export type PostSigned = (
  url: string,
  body: string,
  headers: Record<string, string>,
) => Promise<{ statusCode?: number; error: string | null }>;

/**
 * Publishes through a receiver the operator runs for any DNS the panel cannot update itself: the body is signed
 * as the panel's webhooks are (Standard Webhooks), so the receiver can tell it came from this panel, and a 2xx
 * answer means the receiver applied the set.
 */
export async function publishWebhook(
  post: PostSigned,
  config: WebhookDnsConfig,
  body: AddressSetBody,
  nowS = Math.floor(Date.now() / 1000),
): Promise<void> {
  if (body.addresses.length === 0) throw new DnsPublishError('an empty address set is never published');
  const text = JSON.stringify(body);
  const answer = await post(config.url, text, {
    ...webhookHeaders([config.secret], newMessageId(), nowS, text),
  });
  if (answer.error !== null) throw new DnsPublishError(`DNS webhook not delivered: ${answer.error}`);
  const status = answer.statusCode ?? 0;
  if (status < 200 || status >= 300) throw new DnsPublishError(`DNS webhook answered HTTP ${status}`);
}
