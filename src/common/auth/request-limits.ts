import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import { Global, HttpStatus, Inject, Injectable, Module } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { AuthenticatedRequest } from './auth.decorators';
import { ApiError } from '../http/api-error';

type LimitCheck = ReturnType<FastifyInstance['createRateLimit']>;

/** An IPv6 client is counted by its /64: one host usually holds the whole prefix. */
const IPV6_SUBNET = 64;
/** Bounds the memory an attack from many addresses can take; beyond it, Redis's counts still refuse them. */
const MAX_BLOCKED_ADDRESSES = 100_000;
const TOO_MANY_FAILURES = 'too many requests with an invalid token from this address';

/**
 * Request limits, counted in Redis (`@fastify/rate-limit`'s store) so every panel of a fleet shares them:
 * requests per principal (API token or signed-in user), and failed authentications (a wrong API token, an unknown or spent enrollment token)
 * per client address. Only failures count against an address: behind a reverse proxy every client may share
 * one, and a valid token is served from an address over its failure limit, so nobody sending wrong tokens
 * locks out the operators. An address over its limit is remembered by each instance that sees it fail, and its
 * further failures there are refused without asking Redis. A Redis outage lifts the limits rather than failing
 * requests.
 */
@Injectable()
export class RequestLimits {
  private perToken: LimitCheck | null = null;
  private authFailures: LimitCheck | null = null;
  /** Client addresses over their failure limit, and until when (ms since the epoch). */
  private readonly blockedUntil = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Registers the limiter with the panel's Fastify instance; keys are kept under `nameSpace`. */
  async register(instance: FastifyInstance, redis: Redis, nameSpace: string): Promise<void> {
    const { windowS, perToken, authFailures } = this.config.rateLimits;
    await instance.register(rateLimit, {
      global: false,
      redis,
      nameSpace,
      skipOnError: true,
      timeWindow: windowS * 1000,
    });
    if (perToken > 0) {
      this.perToken = instance.createRateLimit({
        max: perToken,
        keyGenerator: (request) => {
          const principal = (request as AuthenticatedRequest).principal;
          return `${principal?.kind}:${principal?.id}`;
        },
      });
    }
    if (authFailures > 0) {
      this.authFailures = instance.createRateLimit({
        max: authFailures,
        keyGenerator: (request) => `auth-failure:${clientAddress(request)}`,
      });
    }
  }

  /**
   * Counts a failed authentication against its client address: throws 429 once the address is over its limit
   * (the caller answers its own refusal otherwise).
   */
  async recordAuthFailure(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!this.authFailures) return;
    const address = clientAddress(request);
    const until = this.blockedUntil.get(address);
    if (until !== undefined && until > Date.now()) {
      throw tooMany(reply, until - Date.now(), TOO_MANY_FAILURES);
    }
    if (until !== undefined) this.blockedUntil.delete(address);
    const status = await this.authFailures(request);
    if (status.isAllowed || !status.isExceeded) return;
    this.block(address, Date.now() + status.ttl);
    throw tooMany(reply, status.ttl, TOO_MANY_FAILURES);
  }

  /** Counts an authenticated request against its token. */
  async countRequest(request: AuthenticatedRequest, reply: FastifyReply): Promise<void> {
    if (!this.perToken) return;
    const status = await this.perToken(request);
    if (!status.isAllowed && status.isExceeded) {
      throw tooMany(reply, status.ttl, 'too many requests with this token');
    }
  }

  private block(address: string, until: number): void {
    // Addresses that stopped failing are forgotten as their windows end; many at once cannot grow this for long.
    if (this.blockedUntil.size >= MAX_BLOCKED_ADDRESSES) {
      const now = Date.now();
      for (const [known, knownUntil] of this.blockedUntil)
        if (knownUntil <= now) this.blockedUntil.delete(known);
      if (this.blockedUntil.size >= MAX_BLOCKED_ADDRESSES) return;
    }
    this.blockedUntil.set(address, until);
  }
}

/** One RequestLimits for the panel: the auth guard and the enrollment claim count into the same limits. */
@Global()
@Module({ providers: [RequestLimits], exports: [RequestLimits] })
export class RequestLimitsModule {}

function clientAddress(request: FastifyRequest): string {
  return normalizeIP(request.ip, IPV6_SUBNET);
}

function tooMany(reply: FastifyReply, ttlMs: number, message: string): ApiError {
  const retryAfterS = Math.max(1, Math.ceil(ttlMs / 1000));
  reply.header('Retry-After', String(retryAfterS));
  return new ApiError(
    HttpStatus.TOO_MANY_REQUESTS,
    'too_many_requests',
    `${message}: retry in ${retryAfterS} s`,
  );
}
