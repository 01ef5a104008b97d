import { createHash, randomBytes } from 'node:crypto';

/** Tells an enrollment token apart from an API token (`wgf_`) at a glance, in logs and shell history. */
export const ENROLLMENT_TOKEN_PREFIX = 'wgfe_';

export const DEFAULT_ENROLLMENT_TTL_S = 3600;
export const MAX_ENROLLMENT_TTL_S = 7 * 24 * 3600;

export function generateEnrollmentToken(): string {
  return ENROLLMENT_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Only this hash is stored: the token is shown once, on creation. */
export function hashEnrollmentToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export const ENROLLMENT_STATUSES = ['open', 'claimed', 'revoked'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** Why an enrollment cannot be claimed now (the answer is 410), or null when it can. */
export function claimRefusal(
  enrollment: { status: EnrollmentStatus; expiresAt: Date } | null,
  now: Date,
): string | null {
  if (!enrollment) return 'this enrollment token is not known to the panel';
  if (enrollment.status === 'claimed') return 'this enrollment token has been used already';
  if (enrollment.status === 'revoked') return 'this enrollment token has been revoked';
  if (enrollment.expiresAt.getTime() <= now.getTime()) return 'this enrollment token has expired';
  return null;
}
