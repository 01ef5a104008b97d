import type { SuspendedReason } from '../../peers';

/** What the enforcement pass knows of one peer with an expiry, a quota or a suspension. */
export interface LifecyclePeer {
  expiresAt: Date | null;
  quotaBytes: number | null;
  suspendedReason: SuspendedReason | null;
  /** Bytes received + sent in the current quota period. */
  usedBytes: number;
  /** Start of the current quota period. */
  periodStart: Date;
  /** The expiry a `peer.expiring` was last sent for, and the period a `peer.quota_warning` was. */
  expiryWarnedFor: Date | null;
  quotaWarnedPeriodStart: Date | null;
}

export interface EnforcementPolicy {
  expiryWarningMs: number;
  quotaWarningRatio: number;
}

export interface LifecycleDecision {
  /** A suspension to lift (its reason), before any new one. */
  resume: SuspendedReason | null;
  suspend: SuspendedReason | null;
  warnExpiry: boolean;
  warnQuota: boolean;
}

export const NO_DECISION: LifecycleDecision = {
  resume: null,
  suspend: null,
  warnExpiry: false,
  warnQuota: false,
};

/** Why a peer should be off its node now, if it should: an expiry outranks a quota. */
export function suspensionReason(peer: LifecyclePeer, now: Date): SuspendedReason | null {
  if (peer.expiresAt && peer.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (peer.quotaBytes !== null && peer.usedBytes >= peer.quotaBytes) return 'quota';
  return null;
}

/**
 * What one enforcement pass does to a peer: suspend it when it expired or used up its quota, lift a suspension
 * whose reason no longer holds (a new period, an expiry moved, a raised quota), and warn once per expiry and
 * once per quota period.
 */
export function decideLifecycle(
  peer: LifecyclePeer,
  now: Date,
  policy: EnforcementPolicy,
): LifecycleDecision {
  const reason = suspensionReason(peer, now);
  const changes = peer.suspendedReason !== reason;
  const resume = changes ? peer.suspendedReason : null;
  const suspend = changes ? reason : null;
  const warnExpiry =
    peer.expiresAt !== null &&
    reason !== 'expired' &&
    peer.expiresAt.getTime() - now.getTime() <= policy.expiryWarningMs &&
    peer.expiryWarnedFor?.getTime() !== peer.expiresAt.getTime();
  const warnQuota =
    peer.quotaBytes !== null &&
    peer.usedBytes >= peer.quotaBytes * policy.quotaWarningRatio &&
    peer.quotaWarnedPeriodStart?.getTime() !== peer.periodStart.getTime();
  return { resume, suspend, warnExpiry, warnQuota };
}

export function isNoDecision(decision: LifecycleDecision): boolean {
  return !decision.resume && !decision.suspend && !decision.warnExpiry && !decision.warnQuota;
}
