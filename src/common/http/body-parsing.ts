import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

/** Largest request body the panel reads; Fastify answers 413 beyond it (see ErrorFilter). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The panel reads JSON bodies only, and only objects or arrays at the top (what Express's strict parser
 * took). An empty body, of any type, counts as no body (every field that may be left out takes its default);
 * a non-empty body of another type is refused with 415 and malformed JSON with 400, before any handler runs,
 * so no such request starts work. Prototype-poisoning keys (`__proto__`, `constructor.prototype`) are dropped
 * at any depth, as JSON.parse under Express left them inert: refusing the body would call valid JSON invalid
 * and hide the field validation should name. No answer quotes the body back.
 */
export function registerBodyParsers(instance: FastifyInstance): void {
  instance.removeAllContentTypeParsers();
  const parseJson = instance.getDefaultJsonParser('remove', 'remove');
  instance.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (request, body, done) => {
      const text = body.toString();
      if (text.trim() === '') return done(null, undefined);
      parseJson(request, text, (error, parsed) => {
        if (error) return done(bodyError('is not valid JSON'), undefined);
        if (parsed === null || typeof parsed !== 'object') {
          return done(bodyError('must be a JSON object'), undefined);
        }
        done(null, parsed);
      });
    },
  );
  instance.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES },
    (_request, body, done) => {
      if (body.length === 0) return done(null, undefined);
      done(
        new ApiError(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          'unsupported_media_type',
          'body: send JSON with Content-Type: application/json',
        ),
        undefined,
      );
    },
  );
}

function bodyError(problem: string): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, 'bad_request', `body: ${problem}`);
}
