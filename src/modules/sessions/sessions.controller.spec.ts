import type { FastifyReply } from 'fastify';
import type { RequestLimits } from '../../common/auth/request-limits';
import { loadConfig } from '../../config/app-config';
import { OidcClient } from './oidc-client';
import { SessionsController } from './sessions.controller';
import type { SessionsService } from './sessions.service';

const base = { PANEL_ADMIN_TOKEN: 'a'.repeat(32), PANEL_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };

function controller(env: Record<string, string>): SessionsController {
  const sessions = {} as SessionsService;
  const limits = {} as RequestLimits;
  return new SessionsController(sessions, new OidcClient(loadConfig({ ...base, ...env })), limits);
}

describe('SessionsController without single sign-on', () => {
  it('tells the console to offer the token field only', () => {
    expect(controller({}).options()).toEqual({
      oidc_enabled: false,
      display_name: null,
      login_url: '/auth/oidc/login',
    });
  });

  it('answers a sign-in attempt 404', async () => {
    await expect(controller({}).login({}, {} as FastifyReply)).rejects.toMatchObject({
      status: 404,
      response: { error: { code: 'not_found', message: 'single sign-on is not configured on this panel' } },
    });
  });

  it('names the provider when it is configured', () => {
    const configured = controller({
      OIDC_ISSUER: 'https://id.example.com',
      OIDC_CLIENT_ID: 'wgfleet',
      OIDC_CLIENT_SECRET: 's',
      OIDC_DISPLAY_NAME: 'Example SSO',
    });
    expect(configured.options()).toMatchObject({ oidc_enabled: true, display_name: 'Example SSO' });
  });
});
