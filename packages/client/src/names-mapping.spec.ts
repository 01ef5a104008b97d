import { NamesMappingError, parseNamesMapping } from './names-mapping';

const key = (n: number) => `${String.fromCharCode(65 + n).repeat(42)}A=`;

describe('reading the names of peers to adopt', () => {
  it('reads CSV with or without its header, a quoted name and comments', () => {
    const text = [
      'public_key,name',
      `${key(0)},alice laptop`,
      '# the office',
      '',
      `${key(1)},"printer, 2nd floor"`,
      `"${key(2)}","say ""hi"""`,
    ].join('\r\n');
    expect(parseNamesMapping(text)).toEqual({
      [key(0)]: 'alice laptop',
      [key(1)]: 'printer, 2nd floor',
      [key(2)]: 'say "hi"',
    });
  });

  it('reads a flat YAML mapping with plain, quoted and commented names', () => {
    const text = [
      '---',
      `${key(0)}: alice laptop   # her second one`,
      `'${key(1)}': 'bob''s phone'`,
      `"${key(2)}": "carol: \\"work\\""`,
      `${key(3)}: dave#1`,
    ].join('\n');
    expect(parseNamesMapping(text)).toEqual({
      [key(0)]: 'alice laptop',
      [key(1)]: "bob's phone",
      [key(2)]: 'carol: "work"',
      [key(3)]: 'dave#1',
    });
  });

  it.each([
    ['not-a-key,alice', 'line 1: it does not start with a WireGuard public key'],
    [`${key(0)} alice`, 'line 1: expected public_key,name or public_key: name'],
    [`${key(0)},"alice`, 'line 1: the quoted name is not closed'],
    [`${key(0)}: 'alice`, 'line 1: the quoted name is not closed'],
    [`${key(0)}: 'alice' bob`, 'line 1: text after the quoted name'],
    [`${key(0)},alice\n${key(0)},bob`, `line 2: the key ${key(0)} has a name on line 1 already`],
  ])('names the line of %j', (text, message) => {
    expect(() => parseNamesMapping(text)).toThrow(NamesMappingError);
    expect(() => parseNamesMapping(text)).toThrow(message);
  });
});
