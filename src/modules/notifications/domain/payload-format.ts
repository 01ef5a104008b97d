import type { ActorRef } from '@wgfleet/protocol';
import type { AlertType } from './alert-transitions';

export type PeerEventType = 'peer.expiring' | 'peer.suspended' | 'peer.quota_warning' | 'peer.resumed';
/** Events about one node (and maybe one of its peers). */
export type NodeEventType = AlertType | 'reconcile.succeeded' | 'reconcile.failed' | PeerEventType;
/** Events about the audit chain of the whole log (docs/AUDIT.md). */
export type AuditEventType = 'audit.checkpoint' | 'audit.broken';
export type WebhookEventType = NodeEventType | AuditEventType;

/** `data` of every webhook event: names and counts only, never a secret. */
export interface WebhookEventData {
  node_id: string;
  node_name: string;
  /** The drift report summary, or the reconcile result counts; plus `error` for an unreachable node. */
  summary: Record<string, string | number | boolean | null>;
  scan_id?: string;
  job_id?: string;
  /** The peer a `peer.*` event is about. */
  peer_id?: string;
  peer_name?: string;
  /** Where to look in the panel's API. */
  url: string;
  /** Who caused it: whoever asked for a reconcile; the system for what scans and schedules find. */
  actor: ActorRef;
}

export interface WebhookEvent {
  type: NodeEventType;
  /** ISO 8601. */
  timestamp: string;
  data: WebhookEventData;
}

export interface SlackMessage {
  /** Plain fallback for notifications and clients that do not render blocks. */
  text: string;
  blocks: SlackBlock[];
}

export type SlackBlock =
  | { type: 'section'; text: SlackText }
  | { type: 'section'; fields: SlackText[] }
  | { type: 'context'; elements: SlackText[] };

export interface SlackText {
  type: 'mrkdwn';
  text: string;
}

const HEADLINES: Record<NodeEventType, { emoji: string; text: string }> = {
  'drift.detected': { emoji: ':warning:', text: 'Drift detected on node' },
  'drift.changed': { emoji: ':warning:', text: 'Drift changed on node' },
  'drift.resolved': { emoji: ':white_check_mark:', text: 'Drift resolved on node' },
  'node.unreachable': { emoji: ':red_circle:', text: 'Node unreachable:' },
  'node.recovered': { emoji: ':large_green_circle:', text: 'Node reachable again:' },
  'reconcile.succeeded': { emoji: ':white_check_mark:', text: 'Reconcile succeeded on node' },
  'reconcile.failed': { emoji: ':x:', text: 'Reconcile failed on node' },
  'peer.expiring': { emoji: ':hourglass:', text: 'Peer expiring soon on node' },
  'peer.quota_warning': { emoji: ':warning:', text: 'Peer near its data quota on node' },
  'peer.suspended': { emoji: ':no_entry:', text: 'Peer suspended on node' },
  'peer.resumed': { emoji: ':arrow_forward:', text: 'Peer resumed on node' },
};

/**
 * A drift summary's peer counts in the wording the console and CLI use for drift: what the panel expects,
 * then what the node has (docs/API.md). The JSON payload keeps the plain keys.
 */
const SUMMARY_LABELS: Record<string, string> = { expected: 'expected (panel)', actual: 'actual (node)' };

/** Slack allows at most 10 fields in a section block. */
const MAX_SLACK_FIELDS = 10;

/** A Slack incoming-webhook body summarising the event. */
export function toSlackMessage(event: WebhookEvent): SlackMessage {
  const { data } = event;
  const headline = HEADLINES[event.type];
  const summary = Object.entries(data.summary).map(
    ([key, value]) => [SUMMARY_LABELS[key] ?? key, value] as const,
  );
  const plainSummary = summary.map(([key, value]) => `${key} ${String(value)}`).join(', ');

  const blocks: SlackBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        `${headline.emoji} ${headline.text} *${escapeSlack(data.node_name)}*` +
          (data.peer_name === undefined ? '' : `: *${escapeSlack(data.peer_name)}*`),
      ),
    },
  ];
  if (summary.length > 0) {
    blocks.push({
      type: 'section',
      fields: summary
        .slice(0, MAX_SLACK_FIELDS)
        .map(([key, value]) => mrkdwn(`*${escapeSlack(key)}*\n${escapeSlack(String(value))}`)),
    });
  }
  blocks.push({
    type: 'context',
    elements: [mrkdwn(`${event.type} · ${event.timestamp} · <${escapeSlack(data.url)}|Open in wgfleet>`)],
  });

  return {
    text: [
      `${headline.text} ${data.node_name}${data.peer_name === undefined ? '' : `: ${data.peer_name}`}`,
      plainSummary,
      data.url,
    ]
      .filter(Boolean)
      .join(' — '),
    blocks,
  };
}

function mrkdwn(text: string): SlackText {
  return { type: 'mrkdwn', text };
}

/** Slack's control characters in mrkdwn. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
