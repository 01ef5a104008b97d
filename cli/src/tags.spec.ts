import { changedTags, collectTag, formatTags, parseTag } from './tags';

describe('tags on the command line', () => {
  it('splits key=value at the first =, refusing no key', () => {
    expect(parseTag('region=eu')).toEqual(['region', 'eu']);
    expect(parseTag('role=')).toEqual(['role', '']);
    expect(parseTag('a=b=c')).toEqual(['a', 'b=c']);
    expect(() => parseTag('region')).toThrow('key=value');
    expect(() => parseTag('=eu')).toThrow('key=value');
  });

  it('collects repeated --tag values, checking each', () => {
    expect(collectTag('b=2', ['a=1'])).toEqual(['a=1', 'b=2']);
    expect(() => collectTag('b', [])).toThrow('key=value');
  });

  it('adds, replaces and removes tags of the current map', () => {
    expect(changedTags({ region: 'eu', tier: 'free' }, ['tier=gold', 'zone=a'], ['region'])).toEqual({
      tier: 'gold',
      zone: 'a',
    });
    expect(changedTags({ region: 'eu' }, [], ['missing'])).toEqual({ region: 'eu' });
  });

  it('formats in key order', () => {
    expect(formatTags({ tier: 'gold', region: 'eu' })).toBe('region=eu, tier=gold');
    expect(formatTags({})).toBe('-');
  });
});
