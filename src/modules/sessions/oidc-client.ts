import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { APP_CONFIG, AppConfig, isLoopbackHost, OidcConfig } from '../../config/app-config';

export interface AuthorizationRequest {
  state: string;
  nonce: string;
  codeChallenge: string;
}

export interface SignInResult {
  issuer: string;
  claims: Record<string, unknown>;
  idToken: string;
}

/** The provider refused, or its answer did not validate: the sign-in fails, the reason is for the log. */
export class SignInFailed extends Error {
  override readonly name = 'SignInFailed';
}

/**
 * The panel as an OpenID Connect relying party, through openid-client: discovery, the authorization URL
 * (code flow with PKCE S256, state and nonce), the code exchange with the ID token's signature, issuer,
 * audience, expiry and nonce checked by the library, and RP-initiated logout where the provider offers it.
 */
@Injectable()
export class OidcClient {
  private readonly settings: OidcConfig | null;
  /** Discovered once; a failed discovery (provider down at start) is retried by the next sign-in. */
  private discovered: Promise<oidc.Configuration> | null = null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.settings = config.oidc;
  }

  get enabled(): boolean {
    return this.settings !== null;
  }

  get displayName(): string | null {
    return this.settings?.displayName ?? null;
  }

  async authorizationUrl(request: AuthorizationRequest): Promise<URL> {
    const settings = this.required();
    return oidc.buildAuthorizationUrl(await this.configuration(), {
      redirect_uri: settings.redirectUrl,
      scope: settings.scopes.join(' '),
      state: request.state,
      nonce: request.nonce,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
    });
  }

  /** Exchanges the callback's code; `query` is the callback's query string as received. */
  async exchange(
    query: URLSearchParams,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<SignInResult> {
    const settings = this.required();
    const configuration = await this.configuration();
    // The URL the provider redirected to is rebuilt from configuration, never from the request's Host.
    const callback = new URL(settings.redirectUrl);
    callback.search = query.toString();
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new SignInFailed('the provider answered without an ID token');
      return {
        issuer: configuration.serverMetadata().issuer,
        claims: { ...claims },
        idToken: tokens.id_token,
      };
    } catch (error) {
      if (error instanceof SignInFailed) throw error;
      throw new SignInFailed(describe(error));
    }
  }

  /** The provider's end-session URL for this ID token, or null where the provider has none. */
  async endSessionUrl(idTokenHint: string, postLogoutRedirect: string): Promise<string | null> {
    const configuration = await this.configuration();
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    return oidc
      .buildEndSessionUrl(configuration, {
        id_token_hint: idTokenHint,
        post_logout_redirect_uri: postLogoutRedirect,
      })
      .toString();
  }

  private configuration(): Promise<oidc.Configuration> {
    const settings = this.required();
    if (!this.discovered) {
      const issuer = new URL(settings.issuer);
      // Configuration refuses plain http except to a loopback host (a provider on this machine, tests).
      const execute =
        issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname) ? [oidc.allowInsecureRequests] : [];
      this.discovered = oidc
        .discovery(issuer, settings.clientId, settings.clientSecret, undefined, { execute })
        .catch((error: unknown) => {
          this.discovered = null;
          throw new SignInFailed(`discovery at ${settings.issuer} failed: ${describe(error)}`);
        });
    }
    return this.discovered;
  }

  private required(): OidcConfig {
    if (!this.settings) throw new SignInFailed('single sign-on is not configured (OIDC_ISSUER)');
    return this.settings;
  }
}

/** The library's errors carry the provider's error code and description, never a token. */
function describe(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError)
    return `${error.error}: ${error.error_description ?? ''}`;
  if (error instanceof oidc.ResponseBodyError) return `${error.error}: ${error.error_description ?? ''}`;
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'unknown error';
}
