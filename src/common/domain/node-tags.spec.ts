import {
  formatTags,
  matchesTag,
  matchesTags,
  parseTagSelector,
  sameTags,
  TagSelectorError,
  tagsProblem,
} from './node-tags';

describe('tagsProblem', () => {
  it('accepts Kubernetes-style keys, with and without a prefix, and plain values', () => {
    expect(
      tagsProblem({ region: 'eu', 'example.com/tier': 'gold', 'a.b_c-d': '', x: 'A-Z_0.9' }, 'tags'),
    ).toBeNull();
    expect(tagsProblem({}, 'tags')).toBeNull();
  });

  it.each([
    [{ Region: 'eu' }, 'key'],
    [{ '-region': 'eu' }, 'key'],
    [{ 'region-': 'eu' }, 'key'],
    [{ '': 'eu' }, 'key'],
    [{ ['a'.repeat(64)]: 'eu' }, 'key'],
    [{ 'Example.com/tier': 'gold' }, 'prefix'],
    [{ '/tier': 'gold' }, 'prefix'],
    [{ 'example.com/': 'gold' }, 'key'],
    [{ region: 'e u' }, 'value'],
    [{ region: 'a'.repeat(64) }, 'value'],
    [{ region: 'eu=1' }, 'value'],
  ])('refuses %j, naming the field', (tags, word) => {
    const problem = tagsProblem(tags, 'tags');
    expect(problem).toMatch(/^tags/);
    expect(problem).toContain(word);
  });

  it('refuses a non-string value, a list, null and more than 32 tags', () => {
    expect(tagsProblem({ region: 1 }, 'tags')).toBe('tags.region must be a string');
    expect(tagsProblem(['region=eu'], 'tags')).toMatch(/^tags must be an object/);
    expect(tagsProblem(null, 'tags')).toMatch(/^tags must be an object/);
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']));
    expect(tagsProblem(many, 'tags')).toBe('tags must have at most 32 tags');
    delete many.k32;
    expect(tagsProblem(many, 'tags')).toBeNull();
  });
});

describe('parseTagSelector', () => {
  it('splits at the first =', () => {
    expect(parseTagSelector('region=eu')).toEqual({ key: 'region', value: 'eu' });
    expect(parseTagSelector('example.com/tier=gold')).toEqual({ key: 'example.com/tier', value: 'gold' });
    expect(parseTagSelector('role=')).toEqual({ key: 'role', value: '' });
  });

  it.each(['region', '=eu', 'Region=eu', 'region=e u', 'region=eu=1', ''])('refuses %j', (text) => {
    expect(() => parseTagSelector(text)).toThrow(TagSelectorError);
  });
});

describe('matchesTag / matchesTags', () => {
  const tags = { region: 'eu', tier: 'gold', empty: '' };

  it('matches the exact key and value only', () => {
    expect(matchesTag(tags, { key: 'region', value: 'eu' })).toBe(true);
    expect(matchesTag(tags, { key: 'region', value: 'us' })).toBe(false);
    expect(matchesTag(tags, { key: 'zone', value: '' })).toBe(false);
    expect(matchesTag(tags, { key: 'empty', value: '' })).toBe(true);
    expect(matchesTag(tags, { key: 'constructor', value: '' })).toBe(false);
  });

  it('ANDs several selectors; none matches everything', () => {
    expect(matchesTags(tags, [parseTagSelector('region=eu'), parseTagSelector('tier=gold')])).toBe(true);
    expect(matchesTags(tags, [parseTagSelector('region=eu'), parseTagSelector('tier=silver')])).toBe(false);
    expect(matchesTags(tags, [])).toBe(true);
  });
});

describe('sameTags', () => {
  it('ignores key order', () => {
    expect(sameTags({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameTags({ a: '1' }, { a: '1', b: '2' })).toBe(false);
    expect(sameTags({ a: '1' }, { a: '2' })).toBe(false);
    expect(sameTags({}, {})).toBe(true);
  });
});

describe('formatTags', () => {
  it('lists k=v in key order', () => {
    expect(formatTags({ tier: 'gold', region: 'eu' })).toBe('region=eu, tier=gold');
    expect(formatTags({})).toBe('');
  });
});
