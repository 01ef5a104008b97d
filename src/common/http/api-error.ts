import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  message: string;
}

/** An HTTP error in the contract's shape: `{"error":{"code","message","details"?}}`. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    /** The message, for a caller that passes it on (HttpException's own `message` is its class name). */
    readonly text: string,
    readonly details?: unknown,
  ) {
    super({ error: { code, message: text, ...(details === undefined ? {} : { details }) } }, status);
  }
}

export const notFound = (what: string, id: string) =>
  new ApiError(HttpStatus.NOT_FOUND, 'not_found', `${what} ${id} not found`);

export const conflict = (message: string, details?: unknown) =>
  new ApiError(HttpStatus.CONFLICT, 'conflict', message, details);

export const versionConflict = (what: string, expected: number, current: number) =>
  new ApiError(
    HttpStatus.CONFLICT,
    'version_conflict',
    `${what} is at version ${current}, not ${expected}: reload it and try again`,
    { expected_version: expected, current_version: current },
  );

export const badRequest = (field: string, message: string) =>
  new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', `${field}: ${message}`, [{ field, message }]);
