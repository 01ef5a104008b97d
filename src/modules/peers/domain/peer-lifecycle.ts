/** How a peer's quota is counted: per calendar day, week or month, or over the peer's whole life. */
export const QUOTA_PERIODS = ['day', 'week', 'month', 'total'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

/** Why the panel took a peer off its node: its expiry passed, or it used up its quota. */
export const SUSPENDED_REASONS = ['expired', 'quota'] as const;
export type SuspendedReason = (typeof SUSPENDED_REASONS)[number];

/** A peer's lifecycle settings as the read model holds them. */
export interface LifecycleSettings {
  expiresAt: Date | null;
  quotaBytes: number | null;
  quotaPeriod: QuotaPeriod;
}

/** The same settings as an API request gives them (undefined = leave as is). */
export interface LifecycleInput {
  expires_at?: string | null;
  quota_bytes?: number | null;
  quota_period?: QuotaPeriod;
}

/** What a PATCH changes of a peer's lifecycle settings, as event changes; `expires_at` normalised to UTC. */
export function lifecycleChanges(
  current: LifecycleSettings,
  input: LifecycleInput,
): { expires_at?: string | null; quota_bytes?: number | null; quota_period?: QuotaPeriod } {
  const changes: ReturnType<typeof lifecycleChanges> = {};
  if (input.expires_at !== undefined) {
    const wanted = input.expires_at === null ? null : new Date(input.expires_at).toISOString();
    if (wanted !== (current.expiresAt?.toISOString() ?? null)) changes.expires_at = wanted;
  }
  if (input.quota_bytes !== undefined && input.quota_bytes !== current.quotaBytes) {
    changes.quota_bytes = input.quota_bytes;
  }
  if (input.quota_period !== undefined && input.quota_period !== current.quotaPeriod) {
    changes.quota_period = input.quota_period;
  }
  return changes;
}
