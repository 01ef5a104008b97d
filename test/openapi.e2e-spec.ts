import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { TestPanel, startPanel } from './support/panel';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/** Whether a schema says what the data is: a named schema, or a type (an object with its properties). */
function isTyped(schema: SchemaObject | { $ref: string } | undefined): boolean {
  if (!schema) return false;
  if ('$ref' in schema) return true;
  if (schema.oneOf || schema.allOf || schema.anyOf) return true;
  if (schema.type === 'object')
    return schema.properties !== undefined || schema.additionalProperties !== undefined;
  if (schema.type === 'array') return isTyped(schema.items);
  return schema.type !== undefined;
}

/** What the document fails to say of its operations, one line per problem. */
function describeGaps(document: OpenAPIObject): string[] {
  const gaps: string[] = [];
  const operationIds = new Map<string, string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as OperationObject | undefined;
      if (!operation) continue;
      const name = `${method.toUpperCase()} ${path}`;
      const id = operation.operationId;
      if (!id || /Controller_/.test(id)) gaps.push(`${name}: no operationId of its own`);
      else if (operationIds.has(id)) gaps.push(`${name}: operationId ${id} is also ${operationIds.get(id)}`);
      else operationIds.set(id, name);
      const answers = Object.entries(operation.responses) as [string, ResponseObject][];
      const successes = answers.filter(([status]) => status.startsWith('2'));
      if (successes.length === 0) gaps.push(`${name}: no success answer`);
      for (const [status, answer] of successes) {
        if (status === '204') {
          if (answer.content) gaps.push(`${name}: 204 with content`);
          continue;
        }
        const contents = Object.entries(answer.content ?? {});
        if (contents.length === 0) gaps.push(`${name}: ${status} without content`);
        for (const [type, content] of contents)
          if (!isTyped(content.schema)) gaps.push(`${name}: ${status} ${type} has no typed schema`);
      }
      for (const [status, answer] of answers) {
        if (status.startsWith('2') || path === '/health') continue;
        const schema = answer.content?.['application/json']?.schema;
        if (!schema || !('$ref' in schema) || schema.$ref !== '#/components/schemas/ApiErrorBody')
          gaps.push(`${name}: ${status} is not an ApiErrorBody`);
      }
    }
  }
  return gaps;
}

/** The typed client is generated from packages/client/openapi.json, so that file must be what the panel serves. */
describe('OpenAPI document of the typed client', () => {
  let panel: TestPanel;
  let served: OpenAPIObject;

  beforeAll(async () => {
    panel = await startPanel();
    served = (await panel.http().get('/docs-json').expect(200)).body as OpenAPIObject;
  });

  afterAll(async () => {
    await panel.close();
  });

  it('is the document the panel serves (run `npm run openapi` after changing the API)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'packages/client/openapi.json'), 'utf8'));
    expect(served).toEqual(committed);
  });

  it('names every operation and types every success answer and error answer', () => {
    expect(describeGaps(served)).toEqual([]);
  });

  it('finds an operation whose success answer is untyped', () => {
    const untyped = structuredClone(served);
    untyped.paths['/api/nodes/{id}'].get!.responses['200'] = { description: '' };
    untyped.paths['/api/nodes'].get!.operationId = 'NodesController_list';
    expect(describeGaps(untyped)).toEqual([
      'GET /api/nodes: no operationId of its own',
      'GET /api/nodes/{id}: 200 without content',
    ]);
  });
});
