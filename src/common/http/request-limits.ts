import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { ApiError } from './api-error';

type LimitCheck = ReturnType<FastifyInstance['createRateLimit']>;

/** An IPv6 client is counted by its /64: one host usually holds the whole prefix. */
const IPV6_SUBNET = 64;

/**
 * Request limits, counted in Redis (`@fastify/rate-limit`'s store) so every panel of a fleet shares them:
 * requests per API token, and requests with an unknown or revoked token per client address. While an address is
 * over its limit, no token it sends is even looked up. A Redis outage lifts the limits rather than failing requests.
 */
@Injectable()
export class RequestLimits {
  private perToken: LimitCheck | null = null;
  private authFailures: LimitCheck | null = null;

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
        keyGenerator: (request) => `token:${(request as AuthenticatedRequest).actor?.tokenId}`,
      });
    }
    if (authFailures > 0) {
      this.authFailures = instance.createRateLimit({
        max: authFailures,
        keyGenerator: (request) => `auth-failure:${normalizeIP(request.ip, IPV6_SUBNET)}`,
      });
    }
  }

  /** Refuses, before any token lookup, a client address that sent too many bad tokens. */
  async refuseFailingAddress(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!this.authFailures) return;
    const status = await this.authFailures(request, { increment: false });
    if (!status.isAllowed && status.remaining === 0) {
      throw tooMany(reply, status.ttl, 'too many requests with an invalid token from this address');
    }
  }

  /** Counts a bad token against its client address. */
  async recordAuthFailure(request: FastifyRequest): Promise<void> {
    await this.authFailures?.(request);
  }

  /** Counts an authenticated request against its token. */
  async countRequest(request: AuthenticatedRequest, reply: FastifyReply): Promise<void> {
    if (!this.perToken) return;
    const status = await this.perToken(request);
    if (!status.isAllowed && status.isExceeded) {
      throw tooMany(reply, status.ttl, 'too many requests with this token');
    }
  }
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
