/**
 * Node tags: a map of key → value an operator sets on a node, and the `key=value` selector other features
 * (the node list's `?tag=`, rollouts, scopes) choose nodes by. Keys follow Kubernetes label keys: an optional
 * DNS-subdomain `prefix/` and a name; values are short and plain, so a selector never needs quoting.
 */
export type NodeTags = Record<string, string>;

export interface TagSelector {
  key: string;
  value: string;
}

export const MAX_TAGS = 32;
export const MAX_TAG_VALUE_LENGTH = 63;
const MAX_PREFIX_LENGTH = 253;

const NAME = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;
const PREFIX = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const VALUE = /^[A-Za-z0-9._-]*$/;

/** The problem with a tag key as a sentence naming `field`, or null. */
export function tagKeyProblem(key: string, field: string): string | null {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? null : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== null && (prefix.length > MAX_PREFIX_LENGTH || !PREFIX.test(prefix))) {
    return `${field}: a key's prefix must be a lower-case DNS name of at most ${MAX_PREFIX_LENGTH} characters, like example.com/`;
  }
  if (!NAME.test(name)) {
    return `${field}: a key must be 1-63 of a-z 0-9 . _ - (starting and ending with a letter or digit), with an optional prefix/`;
  }
  return null;
}

/** The problem with a tag value as a sentence naming `field`, or null. */
export function tagValueProblem(value: string, field: string): string | null {
  if (value.length > MAX_TAG_VALUE_LENGTH || !VALUE.test(value)) {
    return `${field}: a value must be at most ${MAX_TAG_VALUE_LENGTH} of A-Z a-z 0-9 . _ -`;
  }
  return null;
}

/** The problem with a whole tag map as a sentence naming `field` (and the offending key), or null. */
export function tagsProblem(value: unknown, field: string): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `${field} must be an object of key → value strings`;
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_TAGS) return `${field} must have at most ${MAX_TAGS} tags`;
  for (const [key, tagValue] of entries) {
    const keyProblem = tagKeyProblem(key, field);
    if (keyProblem) return keyProblem;
    if (typeof tagValue !== 'string') return `${field}.${key} must be a string`;
    const valueProblem = tagValueProblem(tagValue, `${field}.${key}`);
    if (valueProblem) return valueProblem;
  }
  return null;
}

export class TagSelectorError extends Error {}

/** `region=eu` → {key: 'region', value: 'eu'}; the value may be empty (`role=`), the key may not. */
export function parseTagSelector(text: string): TagSelector {
  const equals = text.indexOf('=');
  if (equals < 0) throw new TagSelectorError('tag must be key=value, like region=eu');
  const key = text.slice(0, equals);
  const value = text.slice(equals + 1);
  const problem = tagKeyProblem(key, 'tag') ?? tagValueProblem(value, 'tag');
  if (problem) throw new TagSelectorError(problem);
  return { key, value };
}

export function matchesTag(tags: NodeTags, selector: TagSelector): boolean {
  return Object.hasOwn(tags, selector.key) && tags[selector.key] === selector.value;
}

/** Every selector holds (several selectors are an AND); no selector matches every node. */
export function matchesTags(tags: NodeTags, selectors: readonly TagSelector[]): boolean {
  return selectors.every((selector) => matchesTag(tags, selector));
}

/** Same keys with the same values, whatever the order (jsonb keeps its own). */
export function sameTags(a: NodeTags, b: NodeTags): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key])
  );
}

/** The map as `k=v, k=v` in key order, the form the console's field and the CLI show. */
export function formatTags(tags: NodeTags): string {
  return Object.keys(tags)
    .sort()
    .map((key) => `${key}=${tags[key]}`)
    .join(', ');
}
