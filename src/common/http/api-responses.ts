import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiResponseOptions,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FieldProblem } from './api-error';

/** One problem with one field of a request, as a 400 names it. */
export class FieldProblemView implements FieldProblem {
  @ApiProperty({ example: 'name' })
  field!: string;

  @ApiProperty({ example: 'name must be shorter than or equal to 100 characters' })
  message!: string;
}

/** The error of an error answer: `code` is stable for programs, `message` is for people. */
@ApiExtraModels(FieldProblemView)
export class ApiErrorDetail {
  @ApiProperty({ example: 'validation_failed' })
  code!: string;

  @ApiProperty({ example: 'name: name must be shorter than or equal to 100 characters' })
  message!: string;

  @ApiPropertyOptional({
    description:
      'More about the error: for a 400, the problems as `[{field, message}]`; for a version conflict, ' +
      '`{expected_version, current_version}`',
    oneOf: [
      { type: 'array', items: { $ref: getSchemaPath(FieldProblemView) } },
      { type: 'object', additionalProperties: true },
    ],
  })
  details?: FieldProblemView[] | Record<string, unknown>;
}

/** Every error answer of the API: `{"error":{"code","message","details"?}}` (see ErrorFilter). */
export class ApiErrorBody {
  @ApiProperty({ type: ApiErrorDetail })
  error!: ApiErrorDetail;
}

const ERROR_MEANINGS: Record<number, string> = {
  400: 'Bad input: `details` names the fields',
  401: 'No token, or an unknown or revoked one',
  403: "The token's role is too low for this route",
  404: 'No such resource',
  409: 'A stale `version`, a name or key already taken, or a plan whose state has moved',
  410: 'Gone: the token was used, revoked or has expired',
  429: 'Too many requests; `Retry-After` says when to try again',
  502: "The node's agent did not answer",
  503: 'The panel cannot reach its database right now',
};

/** Documents the error answers a route gives, all with the shared ApiErrorBody schema. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERROR_MEANINGS[status] ?? 'Error', type: ApiErrorBody }),
    ),
  );
}

/** A page of a list: `next` is the cursor of the following page, absent on the last one. */
export interface Page<T> {
  items: T[];
  next?: string;
}

const pageSchemas = new Map<Type<unknown>, Type<Page<unknown>>>();

/** The schema of a page of `item`s, named `<Item>Page` (one class per item type, made once). */
export function PageOf<T>(item: Type<T>): Type<Page<T>> {
  const known = pageSchemas.get(item);
  if (known) return known as Type<Page<T>>;
  class PageSchema implements Page<T> {
    @ApiProperty({ type: item, isArray: true })
    items!: T[];

    @ApiPropertyOptional({
      description: 'Pass as `cursor` (or `before`/`after`) for the next page; absent on the last page',
    })
    next?: string;
  }
  Object.defineProperty(PageSchema, 'name', { value: `${item.name}Page` });
  pageSchemas.set(item, PageSchema);
  return PageSchema;
}

/** One of several response classes: `{oneOf: [$ref...]}` (the classes must be registered with ApiExtraModels). */
export function oneOf(...types: Type<unknown>[]): { oneOf: { $ref: string }[] } {
  return { oneOf: types.map((type) => ({ $ref: getSchemaPath(type) })) };
}

/**
 * One of several response classes told apart by `property`, each mapped from its value there: without the
 * mapping, openapi-typescript types the property as the class's name ("ListenPortMismatchView") instead of
 * its value ("listen_port"). The classes must be registered with ApiExtraModels.
 */
export function discriminatedOneOf(
  property: string,
  typesByValue: Record<string, Type<unknown>>,
): { oneOf: { $ref: string }[]; discriminator: { propertyName: string; mapping: Record<string, string> } } {
  const entries = Object.entries(typesByValue);
  return {
    ...oneOf(...entries.map(([, type]) => type)),
    discriminator: {
      propertyName: property,
      mapping: Object.fromEntries(entries.map(([value, type]) => [value, getSchemaPath(type)])),
    },
  };
}

/** A success answer that is text or binary, e.g. a client config or a QR image. */
export function ApiContentResponse(
  status: number,
  description: string,
  content: Record<string, 'text' | 'binary'>,
): MethodDecorator & ClassDecorator {
  const options: ApiResponseOptions = {
    status,
    description,
    content: Object.fromEntries(
      Object.entries(content).map(([type, kind]) => [
        type,
        { schema: kind === 'text' ? { type: 'string' } : { type: 'string', format: 'binary' } },
      ]),
    ),
  };
  return ApiResponse(options);
}
