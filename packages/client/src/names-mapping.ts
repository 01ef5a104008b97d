/**
 * The operator's names for the peers a node already has, as the console and the CLI read them for adoption
 * (`names` of `POST /api/nodes/{id}/adopt`, docs/API.md): one peer a line, either CSV `public_key,name` (an
 * optional `public_key,name` header; a name with commas or quotes in double quotes) or a flat YAML mapping
 * `public_key: name`. Blank lines and `#` comments are skipped. The panel checks the names themselves.
 */

/** A line of the mapping that is not `public_key,name` or `public_key: name`. */
export class NamesMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NamesMappingError';
  }
}

const KEY = /^[A-Za-z0-9+/]{43}=/;
const HEADER = /^"?public_key"?\s*,\s*"?name"?$/i;

/** Public key → name, in the order of the lines. */
export function parseNamesMapping(text: string): Record<string, string> {
  const names: Record<string, string> = {};
  const lineOf = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const number = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line === '---' || HEADER.test(line)) return;
    const { key, rest } = splitKey(line, number);
    const separator = rest.trimStart();
    let name: string;
    if (separator.startsWith(',')) name = csvField(separator.slice(1).trim(), number);
    else if (separator.startsWith(':')) name = yamlScalar(separator.slice(1).trim(), number);
    else throw lineError(number, 'expected public_key,name or public_key: name');
    const earlier = lineOf.get(key);
    if (earlier !== undefined)
      throw lineError(number, `the key ${key} has a name on line ${earlier} already`);
    lineOf.set(key, number);
    names[key] = name;
  });
  return names;
}

function splitKey(line: string, number: number): { key: string; rest: string } {
  const quote = line[0] === '"' || line[0] === "'" ? line[0] : '';
  const match = KEY.exec(line.slice(quote.length));
  if (!match)
    throw lineError(number, 'it does not start with a WireGuard public key (44 characters of base64)');
  let rest = line.slice(quote.length + match[0].length);
  if (quote) {
    if (!rest.startsWith(quote)) throw lineError(number, 'the quote around the public key is not closed');
    rest = rest.slice(1);
  }
  return { key: match[0], rest };
}

/** A CSV field: as it is, or in double quotes with "" for a quote. */
function csvField(field: string, number: number): string {
  if (!field.startsWith('"')) return field;
  if (!field.endsWith('"') || field.length < 2) throw lineError(number, 'the quoted name is not closed');
  return field.slice(1, -1).replace(/""/g, '"');
}

/** A YAML scalar on one line: plain (a ` #` starts a comment), 'single' ('' for ') or "double" quoted. */
function yamlScalar(value: string, number: number): string {
  const quote = value[0];
  if (quote === "'" || quote === '"') {
    const close = closingQuote(value, quote);
    if (close < 0) throw lineError(number, 'the quoted name is not closed');
    const after = value.slice(close + 1).trim();
    if (after !== '' && !after.startsWith('#')) throw lineError(number, 'text after the quoted name');
    const inner = value.slice(1, close);
    return quote === "'" ? inner.replace(/''/g, "'") : inner.replace(/\\(["\\])/g, '$1');
  }
  const comment = value.search(/\s#/);
  return (comment < 0 ? value : value.slice(0, comment)).trim();
}

function closingQuote(value: string, quote: string): number {
  for (let i = 1; i < value.length; i++) {
    if (quote === '"' && value[i] === '\\') i++;
    else if (value[i] === quote) {
      if (quote === "'" && value[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

function lineError(number: number, problem: string): NamesMappingError {
  return new NamesMappingError(`line ${number}: ${problem}`);
}
