import { ArgumentMetadata, HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, FieldProblem, badRequest } from './api-error';

/** Flattens nested class-validator errors into `{field: "override_dns[0]", message}` entries. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith(error.property)
        ? `${field}${message.slice(error.property.length)}`
        : message,
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

export function validationFailed(problems: FieldProblem[]): ApiError {
  const summary = problems
    .slice(0, 5)
    .map((problem) => problem.message)
    .join('; ');
  return new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', summary || 'invalid request', problems);
}

/** No DTO nests anywhere near this deep; a deeper body would overflow the stack of the recursive transform. */
export const MAX_BODY_DEPTH = 32;

/** True when arrays/objects in `value` nest deeper than `max` (iterative, so any depth is safe to measure). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** PostgreSQL stores neither U+0000 nor an unpaired surrogate, in text or in jsonb. */
const isUnstorable = (text: string) => text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);

/** The path (`name`, `allowed_ips[2]`) of the first string PostgreSQL could not store, or null. */
export function unstorableTextField(value: unknown, path = ''): string | null {
  const pending: Array<[unknown, string]> = [[value, path]];
  while (pending.length > 0) {
    const [current, at] = pending.pop()!;
    if (typeof current === 'string') {
      if (isUnstorable(current)) return at || 'body';
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        pending.push([child, Array.isArray(current) ? `${at}[${key}]` : at ? `${at}.${key}` : key]);
      }
    }
  }
  return null;
}

/** Refuses, by field, what would otherwise overflow the recursive transform or fail in PostgreSQL as a 500. */
class StorableInputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (nestsDeeperThan(value, MAX_BODY_DEPTH)) {
      throw badRequest(
        metadata.type === 'body' ? 'body' : metadata.type,
        `nests deeper than ${MAX_BODY_DEPTH} levels`,
      );
    }
    const unstorable = unstorableTextField(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
    if (unstorable !== null) {
      throw badRequest(unstorable, `${unstorable} must not contain NUL characters or unpaired surrogates`);
    }
    return super.transform(value, metadata);
  }
}

/** Every body and query is validated, unknown fields are refused, and each problem names its field. */
export function createValidationPipe(): ValidationPipe {
  return new StorableInputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(fieldProblems(errors)),
  });
}
