import fc from 'fast-check';
import { randomUUID } from 'node:crypto';

/**
 * The kind of a body field, enough to generate values that are certainly invalid for it:
 * - `text`: a free string with a length limit below 100,000;
 * - `format`: a string with a syntax (key, CIDR, URL, enum, UUID...), where a space and a slash never fit;
 * - `int`: an integer within a range that ends below 1,000,000; `version`: an integer >= 1;
 * - `bool`; `list`: an array of `format` strings with at most `maxItems` items.
 * `nullable` fields accept null, so null is never generated for them.
 */
export type FieldKind =
  | { kind: 'text' | 'format' | 'int' | 'version' | 'bool'; nullable?: boolean }
  | { kind: 'list'; nullable?: boolean; maxItems: number; sample: string };

export type FieldSpec = Record<string, FieldKind>;

const HUGE_TEXT = 'a'.repeat(100_001);

const notAString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
);
const notANumber = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('1420', '', ' 1', '0x10'),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
);
const notWhole = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .filter((value) => !Number.isInteger(value));
const badFormatString = fc
  .string({ unit: 'binary', maxLength: 60 })
  .map((text) => `${text} /`)
  .chain((text) => fc.constantFrom(text, HUGE_TEXT, '\u0000', '../../etc/passwd', '$(id)', '\u202e;rm -rf'));

function invalidValue(field: FieldKind): fc.Arbitrary<unknown> {
  const orNull = (arbitrary: fc.Arbitrary<unknown>) =>
    field.nullable ? arbitrary : fc.oneof(arbitrary, fc.constant(null));
  switch (field.kind) {
    case 'text':
      return orNull(fc.oneof(notAString, fc.constant(HUGE_TEXT)));
    case 'format':
      return orNull(fc.oneof(notAString, badFormatString));
    case 'int':
      return orNull(
        fc.oneof(
          notANumber,
          notWhole,
          fc.integer({ min: -(2 ** 31), max: -1 }),
          fc.integer({ min: 1_000_000, max: 2 ** 31 }),
          fc.constantFrom(2 ** 53 + 2, -(2 ** 53) - 2, 1e300),
        ),
      );
    case 'version':
      return orNull(fc.oneof(notANumber, notWhole, fc.integer({ min: -(2 ** 31), max: 0 })));
    case 'bool':
      return orNull(
        fc.oneof(fc.constantFrom('true', 'false', 0, 1, '', 'yes'), fc.array(fc.boolean(), { maxLength: 2 })),
      );
    case 'list':
      return orNull(
        fc.oneof(
          notANumber.filter((value) => !Array.isArray(value)),
          fc.integer(),
          badFormatString.map((item) => [field.sample, item]),
          notAString.map((item) => [item]),
          fc.constant(Array.from({ length: field.maxItems + 1 }, () => field.sample)),
        ),
      );
  }
}

/** A field of `spec` and a value that it must refuse. */
export function invalidField(spec: FieldSpec): fc.Arbitrary<{ field: string; value: unknown }> {
  return fc
    .constantFrom(...Object.keys(spec))
    .chain((field) => invalidValue(spec[field]).map((value) => ({ field, value })));
}

/** A field name no DTO has, including the ones that poke at prototypes. */
export const unknownFieldName = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'id',
    'created_at',
    'private_key',
    '$where',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((name) => `x_${name}`),
);

export const uuidList = (count: number) => Array.from({ length: count }, () => randomUUID());
