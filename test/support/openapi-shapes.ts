import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Schema = Record<string, unknown>;

/**
 * OpenAPI 3.0 schemas as strict JSON Schema: `nullable` becomes "or null", and an object that lists its
 * properties allows no others, so an answer with a field its schema does not declare fails too.
 */
function strictJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const converted: Schema = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as Schema).map(([name, inner]) => [name, strictJsonSchema(inner)]),
          )
        : strictJsonSchema(value),
    ]),
  );
  if (converted.properties && converted.additionalProperties === undefined)
    converted.additionalProperties = false;
  if (converted.nullable === true) {
    const { nullable: _nullable, description: _description, ...rest } = converted;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return converted;
}

/** Checks values against the named schemas of an OpenAPI document (components.schemas). */
export class OpenApiShapes {
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: { components?: { schemas?: Record<string, unknown> } }) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema({ components: strictJsonSchema(document.components) }, 'openapi');
  }

  /** Problems of `value` as a `name` (empty when it is one), in words that say where. */
  problems(value: unknown, name: string): string[] {
    let validate = this.validators.get(name);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi#/components/schemas/${name}` });
      this.validators.set(name, validate);
    }
    return validate(value)
      ? []
      : (validate.errors ?? []).map((error) => `${name}${error.instancePath} ${error.message ?? ''}`.trim());
  }
}
