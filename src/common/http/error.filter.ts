import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { AbstractHttpAdapter } from '@nestjs/core';
import {
  ConnectionException,
  ForeignKeyConstraintViolationException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { ConcurrencyError } from '../domain/concurrency-error';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/** Translates every error into the contract's `{"error":{"code","message","details"?}}`, hiding internals. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  constructor(private readonly http: AbstractHttpAdapter) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, body } = this.describe(exception);
    if (status === HttpStatus.SERVICE_UNAVAILABLE)
      this.logger.warn({ err: describeBriefly(exception) }, 'unavailable');
    else if (status >= 500) this.logger.error({ err: exception }, 'request failed');
    const response = host.switchToHttp().getResponse();
    // A route that answers text (a client config, metrics) has set its type already; an error is JSON.
    this.http.setHeader(response, 'Content-Type', 'application/json; charset=utf-8');
    this.http.reply(response, body, status);
  }

  private describe(exception: unknown): { status: number; body: unknown } {
    // Only Fastify's body limit answers 413, in words that do not say it was the body.
    if (exception instanceof HttpException && exception.getStatus() === HttpStatus.PAYLOAD_TOO_LARGE) {
      return {
        status: HttpStatus.PAYLOAD_TOO_LARGE,
        body: { error: { code: 'payload_too_large', message: 'body: request entity too large' } },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const answer = exception.getResponse();
      if (
        typeof answer === 'object' &&
        answer !== null &&
        'error' in answer &&
        typeof answer.error === 'object'
      ) {
        return { status, body: answer };
      }
      const message =
        typeof answer === 'string'
          ? answer
          : String((answer as { message?: unknown }).message ?? exception.message).slice(0, 500);
      return { status, body: { error: { code: CODE_BY_STATUS[status] ?? 'error', message } } };
    }
    // Two writers passed the version check together; the event log's unique version let only one append.
    if (exception instanceof ConcurrencyError) {
      return {
        status: 409,
        body: {
          error: {
            code: 'version_conflict',
            message: 'another request changed this resource at the same time: reload it and try again',
          },
        },
      };
    }
    if (exception instanceof UniqueConstraintViolationException) {
      return {
        status: 409,
        body: {
          error: { code: 'conflict', message: 'a conflicting change was made at the same time; try again' },
        },
      };
    }
    if (exception instanceof ForeignKeyConstraintViolationException) {
      return {
        status: 409,
        body: { error: { code: 'conflict', message: 'a referenced resource was changed or removed' } },
      };
    }
    if (isDatabaseUnavailable(exception)) {
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        body: { error: { code: 'unavailable', message: 'the database is unavailable; try again shortly' } },
      };
    }
    return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
  }
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P03',
  '08006',
  '08001',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ConnectionException) return true;
  const code = (error as { code?: string } | null)?.code;
  const message = (error as { message?: string } | null)?.message ?? '';
  return (
    (code !== undefined && UNAVAILABLE_CODES.has(code)) ||
    // A connection lost mid-transaction surfaces in the statements that follow, under several spellings.
    /Connection terminated|Connection ended unexpectedly|ECONNREFUSED|ECONNRESET|EPIPE|not queryable|terminating connection|Transaction query already complete|timeout acquiring a connection|Knex: Timeout/i.test(
      message,
    )
  );
}

function describeBriefly(exception: unknown): string {
  return exception instanceof Error ? exception.message.slice(0, 300) : String(exception);
}
