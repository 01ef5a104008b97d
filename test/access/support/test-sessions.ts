import { EntityManager } from '@mikro-orm/postgresql';
import { createHash, randomBytes } from 'node:crypto';
import { hashCsrfToken } from '../../../src/modules/sessions/domain/csrf';
import { SessionsStore } from '../../../src/modules/sessions/sessions.store';
import type { TestPanel } from '../../support/panel';

/**
 * A console session for a stored user, as a sign-in would open it, without the provider's round trip: for tests
 * of what a user may do rather than of how they sign in (test/access/oidc-signin.e2e-spec.ts does that). Requests
 * carry what the console sends: the cookie, and on writes the panel's own Origin and the CSRF token.
 */
export type TestSession = Awaited<ReturnType<typeof openTestSession>>;

export async function openTestSession(panel: TestPanel, userId: string) {
  const secret = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const now = new Date();
  await panel.app.get(SessionsStore).insertSession(panel.app.get(EntityManager).fork(), {
    id: createHash('sha256').update(secret).digest('hex'),
    userId,
    kind: 'browser',
    now,
    expiresAt: new Date(now.getTime() + panel.config.sessions.absoluteTimeoutS * 1000),
    csrfTokenHash: hashCsrfToken(csrf),
    idTokenHint: null,
  });
  const cookie = `wgfleet_session=${secret}`;
  const origin = new URL(panel.config.publicUrl).origin;
  const write = (call: ReturnType<ReturnType<TestPanel['http']>['post' | 'delete']>) =>
    call.set('Cookie', cookie).set('Origin', origin).set('X-CSRF-Token', csrf);
  return {
    get: (url: string) => panel.http().get(url).set('Cookie', cookie),
    post: (url: string, body: object) => write(panel.http().post(url)).send(body),
    patch: (url: string, body: object) => write(panel.http().patch(url)).send(body),
    delete: (url: string) => write(panel.http().delete(url)),
  };
}
