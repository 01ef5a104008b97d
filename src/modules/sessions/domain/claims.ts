/** The identity a sign-in gives, from the ID token's claims, bounded and typed. */
export interface SignInIdentity {
  issuer: string;
  subject: string;
  name: string;
  email: string | null;
  groups: string[];
}

export class ClaimError extends Error {
  override readonly name = 'ClaimError';
}

const MAX_SUBJECT = 255;
const MAX_NAME = 200;
const MAX_EMAIL = 320;
const MAX_GROUP = 256;
const MAX_GROUPS = 500;

/**
 * The provider's claims are input like any other: the subject must be a short string, names and e-mail
 * addresses are cut to a bound (display only), and the groups claim, which grants roles, must be an array of
 * bounded strings or absent. A groups claim of another shape refuses the sign-in rather than being guessed at.
 */
export function identityFromClaims(
  claims: Record<string, unknown>,
  issuer: string,
  groupsClaim: string,
): SignInIdentity {
  const subject = claims.sub;
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > MAX_SUBJECT)
    throw new ClaimError(`the ID token's sub must be a string of 1 to ${MAX_SUBJECT} characters`);
  const email = boundedString(claims.email, MAX_EMAIL);
  const name =
    boundedString(claims.name, MAX_NAME) ??
    boundedString(claims.preferred_username, MAX_NAME) ??
    email?.slice(0, MAX_NAME) ??
    subject.slice(0, MAX_NAME);
  return { issuer, subject, name, email, groups: groupsOf(claims[groupsClaim], groupsClaim) };
}

function groupsOf(value: unknown, claim: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ClaimError(`the ${claim} claim must be an array of strings`);
  if (value.length > MAX_GROUPS)
    throw new ClaimError(`the ${claim} claim lists more than ${MAX_GROUPS} groups`);
  const groups = new Set<string>();
  for (const group of value) {
    if (typeof group !== 'string' || group.length === 0 || group.length > MAX_GROUP)
      throw new ClaimError(`the ${claim} claim must list strings of 1 to ${MAX_GROUP} characters`);
    groups.add(group);
  }
  return [...groups];
}

function boundedString(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  // Control characters have no place in a display name and would garble logs and the console.
  const text = value.replace(/\p{Cc}/gu, '').trim();
  return text ? text.slice(0, max) : null;
}
