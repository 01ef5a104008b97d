import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** An object with exactly the one property `key`. */
export const ofOne = (key: string, schema: SchemaObject): SchemaObject => ({
  type: 'object',
  properties: { [key]: schema },
  required: [key],
  additionalProperties: false,
});

/** A scope in the OpenAPI document: one of four one-key objects, so the generated client has the union. */
export const ScopeSchema: { oneOf: SchemaObject[] } = {
  oneOf: [
    ofOne('all', { type: 'boolean', enum: [true] }),
    ofOne('tag', { type: 'string', example: 'region=eu' }),
    ofOne('cluster_id', { type: 'string', format: 'uuid' }),
    ofOne('node_ids', { type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 1 }),
  ],
};
