import './fastify-augment';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentErrorBody } from '@wgfleet/protocol';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import pino, { type Logger } from 'pino';
import { bulkBodyGate, signatureCheck } from './auth';
import { BODY_LIMIT_BYTES, describeLimit } from './body-limits';
import { responseSigner } from './response-signing';
import { MAX_MAX_SKEW_S, type AgentConfig } from './config';
import { AgentHttpError, badRequest, notFound } from './errors';
import { MemoryReclaimer } from './memory-reclaimer';
import { NonceJournal } from './nonce-journal';
import { registerHealthRoute } from './routes/health';
import { registerInterfaceRoutes } from './routes/interfaces';
import { registerPeerRoutes } from './routes/peers';
import { registerReceiptKeyRoute } from './routes/receipts';
import { ReceiptSigner } from './receipt-signer';
import { ajv, describeValidationError } from './validation/schemas';
import { ConfigPersister } from './wg/config-persister';
import { WgCommandError } from './wg/wg-cli';
import type { WgDriver } from './wg/wg-driver';
import { WgService } from './wg/wg-service';

export { BODY_LIMIT_BYTES, BULK_BODY_LIMIT_BYTES } from './body-limits';

export const AGENT_VERSION: string = JSON.parse(
  readFileSync(join(__dirname, '..', 'package.json'), 'utf8'),
).version;

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'wgfleet-agent' } });
}

function errorAnswer(
  error: FastifyError | Error,
  bodyLimit: number,
): { status: number; body: AgentErrorBody } {
  const answer = (status: number, code: string, message: string) => ({
    status,
    body: { error: { code, message } },
  });
  if (error instanceof AgentHttpError) return answer(error.statusCode, error.code, error.message);
  if (error instanceof WgCommandError) return answer(502, 'wg_failed', error.message);
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return answer(400, 'bad_request', `body: larger than the limit of ${describeLimit(bodyLimit)}`);
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return answer(status, status === 404 ? 'not_found' : 'bad_request', error.message);
  return answer(500, 'internal', 'internal error');
}

function parseJsonBody(request: FastifyRequest): void {
  if (!request.rawBody || request.rawBody.length === 0) return;
  try {
    request.body = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw badRequest('body: is not valid JSON');
  }
}

/**
 * How long a client may take to send a request. A slow-loris client (headers a byte at a time) is cut off
 * after `headersMs`; a whole request, body included, after `requestMs`; Node checks both every `checkEveryMs`.
 */
export interface ServerTimeouts {
  headersMs: number;
  requestMs: number;
  checkEveryMs: number;
}

export const SERVER_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 30_000, checkEveryMs: 1_000 };

export interface BuildAppOptions {
  /** Defaults to a pino logger at the configured level. */
  logger?: Logger;
  /** Defaults to SERVER_TIMEOUTS. */
  timeouts?: ServerTimeouts;
}

/** The whole agent as a Fastify instance, not yet listening, so tests can run it in-process. */
export function buildApp(
  config: AgentConfig,
  driver: WgDriver,
  options: BuildAppOptions = {},
): FastifyInstance {
  const logger = options.logger ?? createLogger(config.logLevel);
  const startedAtMs = Date.now();
  // Nonces are journalled for the longest window any configuration allows, so a restart with a smaller
  // AGENT_MAX_SKEW_S cannot forget a nonce whose timestamp the earlier window let through.
  const journal = config.stateDir
    ? NonceJournal.open(config.stateDir, MAX_MAX_SKEW_S, startedAtMs, logger)
    : null;
  if (!journal) {
    logger.warn('no state directory (AGENT_STATE_DIR): requests timestamped before this start are refused');
  }
  const notBeforeS = journal?.coveredSinceS ?? Math.floor(startedAtMs / 1000);
  const timeouts = options.timeouts ?? SERVER_TIMEOUTS;
  const serverTimeouts = {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: timeouts.checkEveryMs,
  };
  const app = Fastify({
    loggerInstance: logger,
    // Our onResponse hook writes the one line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    ...(config.tls
      ? { https: { cert: config.tls.cert, key: config.tls.key, ...serverTimeouts } }
      : { http: serverTimeouts }),
    requestTimeout: timeouts.requestMs,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;

  const persister = config.configDir
    ? new ConfigPersister(config.configDir, (iface) => driver.showconf(iface))
    : null;
  const service = new WgService(driver, persister, logger);
  const receipts = config.receiptKeyFile ? ReceiptSigner.loadOrCreate(config.receiptKeyFile) : null;
  const gc = (globalThis as { gc?: () => void }).gc;
  // Pooled dump buffers serve bursts of dumps; once idle, they go back with the rest of the garbage.
  const reclaimer = new MemoryReclaimer(
    gc &&
      (() => {
        driver.releasePooledBuffers();
        gc();
      }),
  );

  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  app.setSchemaErrorFormatter((errors) => new Error(describeValidationError(errors[0])));

  // The signature covers the raw bytes, so keep them; JSON is parsed only once the signature holds.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, undefined);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = errorAnswer(error, request.routeOptions.bodyLimit ?? BODY_LIMIT_BYTES);
    if (status >= 500) request.failure = body.error.message;
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'not_found', message: `no route for ${request.method} ${request.url}` } }),
  );

  app.addHook('onSend', responseSigner(config.secret));

  // The reclaimer collects garbage only while no request is in flight.
  app.addHook('onRequest', async (_request, reply) => {
    reply.raw.once('close', reclaimer.begin());
  });
  // One line per request: what was asked and how it ended, never headers or bodies.
  app.addHook('onResponse', async (request, reply) => {
    const line = {
      route: request.routeOptions.url ?? null,
      method: request.method,
      iface: (request.params as { iface?: string } | undefined)?.iface ?? null,
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (request.authFailure) {
      request.log.warn(
        { ...line, auth_error: request.authFailure, remote_address: request.ip },
        'signature rejected',
      );
    } else if (request.failure) {
      request.log.error({ ...line, error: request.failure }, 'request failed');
    } else {
      request.log.info(line, 'request');
    }
  });

  if (journal) app.addHook('onClose', async () => journal.close());
  // An interface that came back empty is restored before the first request is served.
  app.addHook('onReady', () => service.restoreAtStart(config.interfaces));

  registerHealthRoute(app, AGENT_VERSION);
  const allowed = new Set(config.interfaces);
  void app.register(async (signed) => {
    signed.addHook('onRequest', bulkBodyGate(config.maxSkewS, notBeforeS));
    signed.addHook('preValidation', signatureCheck(config.secret, config.maxSkewS, notBeforeS, journal));
    signed.addHook('preValidation', async (request) => {
      const iface = (request.params as { iface?: string }).iface;
      // Only allow-listed names (validated at start) ever reach wg: "../x" or "wg0;id" stop here.
      if (iface !== undefined && !allowed.has(iface)) {
        throw notFound(`interface ${JSON.stringify(iface)} is not managed by this agent`);
      }
      parseJsonBody(request);
    });
    registerInterfaceRoutes(signed, service, config.interfaces, receipts);
    registerPeerRoutes(signed, service, receipts);
    registerReceiptKeyRoute(signed, receipts);
  });
  return app;
}
