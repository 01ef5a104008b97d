import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { boundQuery } from '../../database/bound-query';
import type { SessionKind } from './session.entity';

export interface PendingLogin {
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  cliRedirect: string | null;
  cliChallenge: string | null;
}

export interface NewSession {
  id: string;
  userId: string;
  kind: SessionKind;
  now: Date;
  expiresAt: Date;
  csrfTokenHash: string | null;
  idTokenHint: string | null;
}

export interface LiveSession {
  userId: string;
  kind: SessionKind;
  lastSeenAt: Date;
  expiresAt: Date;
  csrfTokenHash: string | null;
}

interface LiveSessionRow {
  user_id: string;
  kind: SessionKind;
  last_seen_at: string;
  expires_at: string;
  csrf_token_hash: string | null;
}

/** The sessions module's statements on sessions, oidc_logins and sso_cli_codes. */
@Injectable()
export class SessionsStore {
  async insertLogin(
    em: EntityManager,
    stateHash: string,
    login: PendingLogin,
    expiresAt: Date,
  ): Promise<void> {
    await boundQuery(
      em,
      `insert into oidc_logins (state_hash, nonce, code_verifier, return_to, cli_redirect, cli_challenge, expires_at)
       values (?, ?, ?, ?, ?, ?, ?)`,
      [
        stateHash,
        login.nonce,
        login.codeVerifier,
        login.returnTo,
        login.cliRedirect,
        login.cliChallenge,
        expiresAt,
      ],
    );
  }

  /** The sign-in under way with this state, removed as it is read: a callback is answered once. */
  async takeLogin(em: EntityManager, stateHash: string, now: Date): Promise<PendingLogin | null> {
    const [row] = await boundQuery<{
      nonce: string;
      code_verifier: string;
      return_to: string;
      cli_redirect: string | null;
      cli_challenge: string | null;
      expires_at: string;
    }>(em, 'delete from oidc_logins where state_hash = ? returning *', [stateHash]);
    if (!row || new Date(row.expires_at) <= now) return null;
    return {
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
      returnTo: row.return_to,
      cliRedirect: row.cli_redirect,
      cliChallenge: row.cli_challenge,
    };
  }

  async insertSession(em: EntityManager, session: NewSession): Promise<void> {
    await boundQuery(
      em,
      `insert into sessions (id, user_id, kind, created_at, last_seen_at, expires_at, csrf_token_hash, id_token_hint)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        session.id,
        session.userId,
        session.kind,
        session.now,
        session.now,
        session.expiresAt,
        session.csrfTokenHash,
        session.idTokenHint,
      ],
    );
  }

  async sessionById(em: EntityManager, id: string): Promise<LiveSession | null> {
    const [row] = await boundQuery<LiveSessionRow>(
      em,
      'select user_id, kind, last_seen_at, expires_at, csrf_token_hash from sessions where id = ?',
      [id],
    );
    return row
      ? {
          userId: row.user_id,
          kind: row.kind,
          lastSeenAt: new Date(row.last_seen_at),
          expiresAt: new Date(row.expires_at),
          csrfTokenHash: row.csrf_token_hash,
        }
      : null;
  }

  async touchSession(em: EntityManager, id: string, now: Date): Promise<void> {
    await boundQuery(em, 'update sessions set last_seen_at = ? where id = ? and last_seen_at < ?', [
      now,
      id,
      now,
    ]);
  }

  /** Ends a session; its ID token hint comes back for the provider's logout. */
  async deleteSession(em: EntityManager, id: string): Promise<{ idTokenHint: string | null } | null> {
    const [row] = await boundQuery<{ id_token_hint: string | null }>(
      em,
      'delete from sessions where id = ? returning id_token_hint',
      [id],
    );
    return row ? { idTokenHint: row.id_token_hint } : null;
  }

  /** Clears what can no longer be used: ended sessions, abandoned sign-ins, unclaimed CLI codes. */
  async deleteEnded(em: EntityManager, now: Date, idleCutoff: Date): Promise<void> {
    await boundQuery(em, 'delete from sessions where expires_at <= ? or last_seen_at <= ?', [
      now,
      idleCutoff,
    ]);
    await boundQuery(em, 'delete from oidc_logins where expires_at <= ?', [now]);
    await boundQuery(em, 'delete from sso_cli_codes where expires_at <= ?', [now]);
  }

  async insertCliCode(
    em: EntityManager,
    codeHash: string,
    userId: string,
    challenge: string,
    expiresAt: Date,
  ): Promise<void> {
    await boundQuery(
      em,
      'insert into sso_cli_codes (code_hash, user_id, challenge, expires_at) values (?, ?, ?, ?)',
      [codeHash, userId, challenge, expiresAt],
    );
  }

  /** A CLI code, removed as it is read: whether or not the verifier matches, it is spent. */
  async takeCliCode(
    em: EntityManager,
    codeHash: string,
    now: Date,
  ): Promise<{ userId: string; challenge: string } | null> {
    const [row] = await boundQuery<{ user_id: string; challenge: string; expires_at: string }>(
      em,
      'delete from sso_cli_codes where code_hash = ? returning user_id, challenge, expires_at',
      [codeHash],
    );
    if (!row || new Date(row.expires_at) <= now) return null;
    return { userId: row.user_id, challenge: row.challenge };
  }
}
