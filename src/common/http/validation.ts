import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, FieldProblem } from './api-error';

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

/** Every body and query is validated, unknown fields are refused, and each problem names its field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(fieldProblems(errors)),
  });
}
