import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

export type SessionKind = 'browser' | 'cli';

/**
 * A signed-in user's session. The id is the SHA-256 of the secret the browser's cookie (or the CLI's bearer
 * credential) carries, so the table alone lets nobody act as anyone.
 */
@Entity({ tableName: 'sessions' })
export class SessionEntity {
  @PrimaryKey({ type: 'text' })
  id!: string;

  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'text' })
  kind!: SessionKind;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  lastSeenAt!: Date;

  /** The absolute end, fixed at sign-in. */
  @Index()
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  /** SHA-256 of the console's CSRF token; null for the CLI, which sends no cookie. */
  @Property({ type: 'text', nullable: true })
  csrfTokenHash!: string | null;

  /** The provider's ID token for RP-initiated logout, sealed (SecretBox): it is a bearer of the user's identity. */
  @Property({ type: 'text', nullable: true })
  idTokenHint!: string | null;
}

/** A sign-in under way: what the callback needs to finish it, kept here rather than in the browser. */
@Entity({ tableName: 'oidc_logins' })
export class OidcLoginEntity {
  /** SHA-256 of the `state` sent to the provider. */
  @PrimaryKey({ type: 'text' })
  stateHash!: string;

  @Property({ type: 'text' })
  nonce!: string;

  /** The PKCE verifier, sealed. */
  @Property({ type: 'text' })
  codeVerifier!: string;

  /** The console path to go back to. */
  @Property({ type: 'text' })
  returnTo!: string;

  /** `wgfleet login --sso`: the CLI's loopback listener and its code challenge (S256). */
  @Property({ type: 'text', nullable: true })
  cliRedirect!: string | null;

  @Property({ type: 'text', nullable: true })
  cliChallenge!: string | null;

  @Index()
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;
}

/** A one-time code the CLI exchanges, with the verifier of its challenge, for a CLI session. */
@Entity({ tableName: 'sso_cli_codes' })
export class SsoCliCodeEntity {
  /** SHA-256 of the code. */
  @PrimaryKey({ type: 'text' })
  codeHash!: string;

  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'text' })
  challenge!: string;

  @Index()
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;
}
