import { InvalidArgumentError } from 'commander';

/** A node's tags as the API has them (docs/API.md "Node tags"). */
export type Tags = Record<string, string>;

/**
 * `key=value` of `--tag`: split at the first `=`; whether key and value are allowed is the panel's to say
 * (a 400 naming `tags` or `tag`), so the rules live in one place.
 */
export function parseTag(text: string): [string, string] {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError('must be key=value, like region=eu');
  return [text.slice(0, equals), text.slice(equals + 1)];
}

/** Commander's collector for a repeatable `--tag k=v`, checked as it is read. */
export function collectTag(value: string, previous: string[]): string[] {
  parseTag(value);
  return [...previous, value];
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `current` with `set` (k=v, later ones win) added and the keys of `unset` removed. */
export function changedTags(current: Tags, set: readonly string[], unset: readonly string[]): Tags {
  const tags: Tags = { ...current, ...Object.fromEntries(set.map(parseTag)) };
  for (const key of unset) delete tags[key];
  return tags;
}

/** `k=v, k=v` in key order; `-` for none. */
export function formatTags(tags: Tags): string {
  const keys = Object.keys(tags).sort();
  return keys.length === 0 ? '-' : keys.map((key) => `${key}=${tags[key]}`).join(', ');
}
