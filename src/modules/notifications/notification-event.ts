import type { ActorRef } from '@wgfleet/protocol';
import { systemActor } from '../../common/auth/auth.decorators';
import type { AlertType } from './domain/alert-transitions';
import {
  AuditEventType,
  PeerEventType,
  toSlackMessage,
  WebhookEvent,
  WebhookEventData,
  WebhookEventType,
} from './domain/payload-format';
import type { WebhookFormat } from './webhook-subscription.entity';

/** Every type a subscription can ask for (docs/API.md, Webhooks). */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  'drift.detected',
  'drift.changed',
  'drift.resolved',
  'node.unreachable',
  'node.recovered',
  'reconcile.succeeded',
  'reconcile.failed',
  'peer.expiring',
  'peer.suspended',
  'peer.quota_warning',
  'peer.resumed',
  'audit.checkpoint',
  'audit.broken',
];

/**
 * What a subscription that lists no types gets: all but the audit ones, which are for a receiver that keeps the
 * checkpoints (docs/AUDIT.md) and would otherwise reach every alert channel at each checkpoint interval.
 */
export const DEFAULT_WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES.filter(
  (type) => !type.startsWith('audit.'),
);

/** Sent by POST /api/webhooks/{id}/test only, to the one subscription asked for. */
export interface TestEvent {
  type: 'test';
  timestamp: string;
  data: { subscription_id: string; message: string; url: string };
}

/**
 * `audit.checkpoint` carries a signed checkpoint `{seq, hash, time, signature, key_id}`, for a receiver to
 * keep where the panel's operator cannot change it; `audit.broken` the self-check's first bad seq and problem.
 */
export interface AuditNotice {
  type: AuditEventType;
  timestamp: string;
  data: Record<string, string | number | null> & { url: string };
}

export type NotificationEvent = WebhookEvent | AuditNotice | TestEvent;

export type EventSummary = WebhookEventData['summary'];

/** What an alert about a scan says: the scan's summary and where to read the whole report. */
export interface ScanAlertSource {
  nodeId: string;
  nodeName: string;
  scanId: string;
  summary: EventSummary;
  at: Date;
}

export function scanAlertEvent(type: AlertType, scan: ScanAlertSource, publicUrl: string): WebhookEvent {
  return {
    type,
    timestamp: scan.at.toISOString(),
    data: {
      node_id: scan.nodeId,
      node_name: scan.nodeName,
      summary: scan.summary,
      scan_id: scan.scanId,
      url: `${publicUrl}/api/drift/scans/${scan.scanId}`,
      // Alerts follow scans over time (held back while a node flaps), so nobody's single action causes one.
      actor: systemActor('drift-scanner'),
    },
  };
}

export interface ReconcileOutcome {
  node: { id: string; name: string };
  jobId: string;
  /** Whoever asked for the job. */
  actor: ActorRef;
  succeeded: boolean;
  /** Counts only (added, updated, removed, errors, verified): never a key. */
  summary: EventSummary;
  at: Date;
}

export function reconcileEvent(outcome: ReconcileOutcome, publicUrl: string): WebhookEvent {
  return {
    type: outcome.succeeded ? 'reconcile.succeeded' : 'reconcile.failed',
    timestamp: outcome.at.toISOString(),
    data: {
      node_id: outcome.node.id,
      node_name: outcome.node.name,
      summary: outcome.summary,
      job_id: outcome.jobId,
      url: `${publicUrl}/api/reconcile/jobs/${outcome.jobId}`,
      actor: outcome.actor,
    },
  };
}

/** What a `peer.*` event says: the peer, its node, and the figures behind it (never a key). */
export interface PeerLifecycleNotice {
  type: PeerEventType;
  peer: { id: string; name: string; node_id: string };
  nodeName: string;
  summary: EventSummary;
  at: Date;
}

export function peerLifecycleEvent(notice: PeerLifecycleNotice, publicUrl: string): WebhookEvent {
  return {
    type: notice.type,
    timestamp: notice.at.toISOString(),
    data: {
      node_id: notice.peer.node_id,
      node_name: notice.nodeName,
      peer_id: notice.peer.id,
      peer_name: notice.peer.name,
      summary: notice.summary,
      url: `${publicUrl}/api/peers/${notice.peer.id}`,
      actor: systemActor('peer-enforcer'),
    },
  };
}

export function testEvent(subscriptionId: string, publicUrl: string, at: Date): TestEvent {
  return {
    type: 'test',
    timestamp: at.toISOString(),
    data: {
      subscription_id: subscriptionId,
      message: 'Test event from wgfleet: this subscription is reachable.',
      url: `${publicUrl}/api/webhooks/${subscriptionId}`,
    },
  };
}

/** The exact body sent (and signed) for a subscription's format. */
export function renderBody(event: NotificationEvent, format: WebhookFormat): string {
  if (format === 'json') return JSON.stringify(event);
  if (event.type === 'test') return JSON.stringify({ text: event.data.message });
  if (isAuditNotice(event)) return JSON.stringify({ text: auditText(event) });
  return JSON.stringify(toSlackMessage(event));
}

function isAuditNotice(event: WebhookEvent | AuditNotice): event is AuditNotice {
  return event.type === 'audit.checkpoint' || event.type === 'audit.broken';
}

function auditText(event: AuditNotice): string {
  return event.type === 'audit.checkpoint'
    ? `Audit checkpoint: seq ${event.data.seq}, hash ${event.data.hash} (key ${event.data.key_id})`
    : `:rotating_light: Audit chain broken at seq ${event.data.seq}: ${event.data.detail} — ${event.data.url}`;
}
