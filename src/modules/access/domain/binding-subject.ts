/** Whom a binding names: one user, or everyone the identity provider puts in a group. */
export type BindingSubject = { user_id: string } | { group: string };

export const MAX_GROUP_LENGTH = 256;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The problem with a subject as it arrives, as a sentence naming `field`, or null. */
export function subjectProblem(value: unknown, field: string): string | null {
  const shapes = 'one of {"user_id":"<uuid>"}, {"group":"<name>"}';
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `${field} must be ${shapes}`;
  const entries = Object.entries(value);
  if (entries.length !== 1) return `${field} must have exactly one key: ${shapes}`;
  const [[kind, content]] = entries;
  if (kind === 'user_id') {
    return typeof content === 'string' && UUID.test(content) ? null : `${field}.user_id must be a UUID`;
  }
  if (kind === 'group') {
    return typeof content === 'string' &&
      content.length > 0 &&
      content.length <= MAX_GROUP_LENGTH &&
      !CONTROL.test(content)
      ? null
      : `${field}.group must be 1-${MAX_GROUP_LENGTH} characters without control characters or line breaks`;
  }
  return `${field} must be ${shapes}`;
}
