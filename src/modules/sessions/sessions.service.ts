import { EntityManager } from '@mikro-orm/postgresql';
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { AuthenticatedUser } from '../../common/auth/principal';
import type { SessionAuthenticator } from '../../common/auth/token-authenticator';
import { ApiError } from '../../common/http/api-error';
import { sealContext } from '../../common/crypto/secret-box.provider';
import { SecretBox } from '../../common/crypto/secret-box';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { UsersService } from '../users';
import { ClaimError, identityFromClaims } from './domain/claims';
import { decideCsrf, hashCsrfToken } from './domain/csrf';
import { readCookie, SESSION_COOKIE } from './domain/session-cookies';
import { absoluteExpiry, idleCutoff, needsTouch, sessionState } from './domain/session-timeouts';
import { isLoopbackListener, safeReturnPath } from './domain/sign-in-targets';
import { OidcClient, SignInFailed } from './oidc-client';
import { SessionsStore } from './sessions.store';

/** The CLI's session credential, sent as a bearer token; the prefix tells it from an API token. */
export const CLI_SESSION_PREFIX = 'wgs_';
/** A sign-in must come back from the provider within this. */
const LOGIN_TTL_MS = 10 * 60_000;
/** The CLI must exchange its one-time code within this. */
const CLI_CODE_TTL_MS = 60_000;

export interface LoginStart {
  returnTo?: string;
  cliRedirect?: string;
  cliChallenge?: string;
}

export type LoginFinish =
  | { kind: 'browser'; secret: string; csrfToken: string; returnTo: string }
  | { kind: 'cli'; redirect: string };

/** Why a callback was refused; the console shows a sentence for each, the reason goes to the log. */
export class CallbackRefused extends Error {
  override readonly name = 'CallbackRefused';
  constructor(
    readonly code: 'expired' | 'failed',
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * Sign-in with the OpenID Connect provider and the sessions it opens (docs/SECURITY.md "Sessions"): a session
 * is a row keyed by the SHA-256 of a random 256-bit secret that only the browser's HttpOnly cookie (or the
 * CLI) holds; every use checks its idle and absolute timeouts, and a cookie-authenticated write its CSRF
 * evidence.
 */
@Injectable()
export class SessionsService implements SessionAuthenticator {
  private readonly logger = new Logger('Sessions');

  constructor(
    private readonly em: EntityManager,
    private readonly store: SessionsStore,
    private readonly provider: OidcClient,
    private readonly users: UsersService,
    private readonly box: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get absoluteTimeoutS(): number {
    return this.config.sessions.absoluteTimeoutS;
  }

  /** Starts a sign-in: the provider's authorization URL, and the state the browser's login cookie binds. */
  async startLogin(start: LoginStart): Promise<{ url: string; state: string }> {
    const cli = start.cliRedirect !== undefined || start.cliChallenge !== undefined;
    if (cli && (!start.cliRedirect || !isLoopbackListener(start.cliRedirect)))
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'validation_failed',
        'cli_redirect: must be http://127.0.0.1:<port>/... or http://localhost:<port>/...',
        [{ field: 'cli_redirect', message: 'must be a loopback http URL with a port' }],
      );
    // Its shape is the DTO's to check; here only that a CLI sign-in has one.
    if (cli && !start.cliChallenge)
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        'validation_failed',
        'cli_challenge: required with cli_redirect',
        [{ field: 'cli_challenge', message: 'required with cli_redirect' }],
      );
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const url = await this.provider.authorizationUrl({
      state,
      nonce,
      codeChallenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    });
    const stateHash = sha256(state);
    const now = new Date();
    await this.store.deleteEnded(this.em, now, idleCutoff(now, this.config.sessions));
    await this.store.insertLogin(
      this.em,
      stateHash,
      {
        nonce,
        codeVerifier: this.box.seal(codeVerifier, sealContext.signInVerifier(stateHash)),
        returnTo: safeReturnPath(start.returnTo),
        cliRedirect: cli ? (start.cliRedirect ?? null) : null,
        cliChallenge: cli ? (start.cliChallenge ?? null) : null,
      },
      new Date(now.getTime() + LOGIN_TTL_MS),
    );
    return { url: url.toString(), state };
  }

  /**
   * Finishes a sign-in from the provider's callback. The state must be the one this browser's login cookie
   * holds (so nobody can make a victim's browser finish the attacker's sign-in) and a sign-in under way; the
   * code is exchanged once, the ID token validated, the user created or refreshed from its claims.
   */
  async finishLogin(query: URLSearchParams, cookieState: string | null): Promise<LoginFinish> {
    const state = query.get('state');
    if (!state || !cookieState || state !== cookieState)
      throw new CallbackRefused('expired', 'the callback does not match a sign-in started in this browser');
    const stateHash = sha256(state);
    const now = new Date();
    const pending = await this.store.takeLogin(this.em, stateHash, now);
    if (!pending) throw new CallbackRefused('expired', 'the sign-in expired or was already finished');
    let identity;
    let idToken;
    try {
      const result = await this.provider.exchange(query, {
        state,
        nonce: pending.nonce,
        codeVerifier: this.box.open(pending.codeVerifier, sealContext.signInVerifier(stateHash)),
      });
      identity = identityFromClaims(result.claims, result.issuer, this.config.oidc?.groupsClaim ?? 'groups');
      idToken = result.idToken;
    } catch (error) {
      if (error instanceof SignInFailed || error instanceof ClaimError)
        throw new CallbackRefused('failed', error.message);
      throw error;
    }
    const user = await this.users.upsertFromClaims(identity);
    this.logger.log(`user ${user.id} signed in${pending.cliRedirect ? ' for the CLI' : ''}`);
    if (pending.cliRedirect && pending.cliChallenge) {
      const code = randomSecret();
      await this.store.insertCliCode(
        this.em,
        sha256(code),
        user.id,
        pending.cliChallenge,
        new Date(now.getTime() + CLI_CODE_TTL_MS),
      );
      const redirect = new URL(pending.cliRedirect);
      redirect.searchParams.set('code', code);
      return { kind: 'cli', redirect: redirect.toString() };
    }
    const secret = randomSecret();
    const csrfToken = randomSecret();
    const id = sha256(secret);
    await this.store.insertSession(this.em, {
      id,
      userId: user.id,
      kind: 'browser',
      now,
      expiresAt: absoluteExpiry(now, this.config.sessions),
      csrfTokenHash: hashCsrfToken(csrfToken),
      idTokenHint: this.box.seal(idToken, sealContext.sessionIdToken(id)),
    });
    return { kind: 'browser', secret, csrfToken, returnTo: pending.returnTo };
  }

  /**
   * `wgfleet login --sso`: the CLI's one-time code and the verifier of the challenge it started with give it a
   * session of its own, used as a bearer credential. Null when the code is unknown, spent, expired or the
   * verifier does not match (the code is spent either way).
   */
  async exchangeCliCode(code: string, verifier: string): Promise<{ token: string; expiresAt: Date } | null> {
    const now = new Date();
    const found = await this.store.takeCliCode(this.em, sha256(code), now);
    if (!found) return null;
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (challenge !== found.challenge) return null;
    const secret = randomSecret();
    const expiresAt = absoluteExpiry(now, this.config.sessions);
    await this.store.insertSession(this.em, {
      id: sha256(secret),
      userId: found.userId,
      kind: 'cli',
      now,
      expiresAt,
      csrfTokenHash: null,
      idTokenHint: null,
    });
    return { token: CLI_SESSION_PREFIX + secret, expiresAt };
  }

  /** The session of a request's cookie, for the auth guard; a write must show the CSRF evidence. */
  async authenticate(request: FastifyRequest): Promise<AuthenticatedUser | null> {
    const secret = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!secret) return null;
    const id = sha256(secret);
    const session = await this.liveSession(id, 'browser');
    if (!session) return null;
    this.checkCsrf(request, session);
    return this.userOf(id, session);
  }

  /** The CLI's session credential (`wgs_…`), for the auth guard. */
  async authenticateBearer(token: string): Promise<AuthenticatedUser | null> {
    if (!token.startsWith(CLI_SESSION_PREFIX)) return null;
    const id = sha256(token.slice(CLI_SESSION_PREFIX.length));
    const session = await this.liveSession(id, 'cli');
    return session ? this.userOf(id, session) : null;
  }

  /**
   * Ends the request's session on the panel; the answer names the provider's end-session URL for a browser
   * session where the provider supports RP-initiated logout. A cookie-authenticated logout needs the CSRF
   * evidence too, so no other site can sign a user out.
   */
  async logout(request: FastifyRequest): Promise<{ endSessionUrl: string | null }> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer?.startsWith(CLI_SESSION_PREFIX)) {
      await this.store.deleteSession(this.em, sha256(bearer.slice(CLI_SESSION_PREFIX.length)));
      return { endSessionUrl: null };
    }
    const secret = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (!secret) return { endSessionUrl: null };
    const id = sha256(secret);
    const session = await this.store.sessionById(this.em, id);
    if (!session) return { endSessionUrl: null };
    this.checkCsrf(request, session);
    const ended = await this.store.deleteSession(this.em, id);
    this.logger.log(`user ${session.userId} signed out`);
    if (!ended?.idTokenHint || !this.provider.enabled) return { endSessionUrl: null };
    try {
      const idToken = this.box.open(ended.idTokenHint, sealContext.sessionIdToken(id));
      return { endSessionUrl: await this.provider.endSessionUrl(idToken, `${this.config.publicUrl}/`) };
    } catch (error) {
      // The panel's session is over whatever the provider says; the provider's own one then lives on.
      this.logger.warn(`no RP-initiated logout: ${error instanceof Error ? error.message : 'unknown error'}`);
      return { endSessionUrl: null };
    }
  }

  private checkCsrf(request: FastifyRequest, session: { csrfTokenHash: string | null }): void {
    const decision = decideCsrf(
      {
        method: request.method,
        origin: single(request.headers.origin),
        referer: single(request.headers.referer),
        token: single(request.headers['x-csrf-token']),
      },
      this.config.sessions.allowedOrigins,
      session.csrfTokenHash ?? '',
    );
    if (!decision.allowed) throw new ApiError(HttpStatus.FORBIDDEN, 'csrf_refused', decision.reason);
  }

  private async liveSession(id: string, kind: 'browser' | 'cli') {
    const session = await this.store.sessionById(this.em, id);
    if (!session || session.kind !== kind) return null;
    const now = new Date();
    if (sessionState(session, now, this.config.sessions) !== 'active') {
      await this.store.deleteSession(this.em, id);
      return null;
    }
    if (needsTouch(session, now, this.config.sessions)) await this.store.touchSession(this.em, id, now);
    return session;
  }

  private async userOf(sessionId: string, session: { userId: string }): Promise<AuthenticatedUser | null> {
    const user = await this.users.find(session.userId);
    if (!user) {
      await this.store.deleteSession(this.em, sessionId);
      return null;
    }
    return { id: user.id, name: user.name, groups: user.groups, via: 'session' };
  }
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** 256 random bits, base64url. */
function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}
