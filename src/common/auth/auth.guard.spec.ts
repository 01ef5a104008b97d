import { ExecutionContext, HttpException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppConfig } from '../../config/app-config';
import { Reactions } from '../reactions';
import { AUTHENTICATED_ONLY, AuthenticatedRequest, FLEET_WIDE } from './auth.decorators';
import { AuthGuard } from './auth.guard';
import type { AuthenticatedUser, Binding, Principal } from './principal';
import type { RequestLimits } from './request-limits';
import type { SessionAuthenticator, TokenAuthenticator, UserBindings } from './token-authenticator';

const TOKEN: Principal = {
  kind: 'token',
  id: 't1',
  name: 'ci',
  bindings: [{ role: 'read', scope: { all: true } }],
};
const ADA: AuthenticatedUser = { id: 'u1', name: 'Ada', groups: ['eu-ops'], via: 'session' };

function handlerWith(metadata: Record<string, unknown>) {
  const handler = () => undefined;
  for (const [key, value] of Object.entries(metadata)) Reflect.defineMetadata(key, value, handler);
  return handler;
}

function contextOf(request: Partial<AuthenticatedRequest>, handler = handlerWith({})): ExecutionContext {
  return {
    getHandler: () => handler,
    getClass: () => class {},
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
}

describe('AuthGuard', () => {
  const limits = { recordAuthFailure: jest.fn(), countRequest: jest.fn() } as unknown as RequestLimits;
  const tokens: TokenAuthenticator = { authenticate: async (token) => (token === 'good' ? TOKEN : null) };
  const sessions: SessionAuthenticator = { authenticate: async () => ADA };
  const bindingsOfAda: Binding[] = [
    { role: 'write', scope: { tag: 'region=eu' } },
    { role: 'read', scope: { all: true } },
  ];
  const userBindings: UserBindings = {
    bindingsOf: async (user) => (user.id === ADA.id ? bindingsOfAda : []),
  };
  const guard = (withSessions = true) =>
    new AuthGuard(
      new Reflector(),
      tokens,
      userBindings,
      limits,
      new Reactions(),
      {} as AppConfig,
      withSessions ? sessions : undefined,
    );

  it('takes a bearer token first, and a session user with the union of their bindings otherwise', async () => {
    const bearer: Partial<AuthenticatedRequest> = {
      method: 'GET',
      headers: { authorization: 'Bearer good' },
    };
    await expect(guard().canActivate(contextOf(bearer))).resolves.toBe(true);
    expect(bearer.principal).toEqual(TOKEN);

    const cookie: Partial<AuthenticatedRequest> = { method: 'GET', headers: {} };
    await expect(guard().canActivate(contextOf(cookie))).resolves.toBe(true);
    expect(cookie.principal).toEqual({
      kind: 'user',
      id: 'u1',
      name: 'Ada',
      bindings: bindingsOfAda,
      via: 'session',
    });
  });

  it('never falls back to the session after a wrong token, and has no session without an authenticator', async () => {
    const wrong = contextOf({ method: 'GET', headers: { authorization: 'Bearer bad' } });
    await expect(guard().canActivate(wrong)).rejects.toMatchObject({ status: 401 });
    await expect(guard(false).canActivate(contextOf({ method: 'GET', headers: {} }))).rejects.toMatchObject({
      status: 401,
    });
  });

  it('refuses a fleet-wide route to a role that covers part of the fleet, and lets anyone ask who they are', async () => {
    const write = contextOf({ method: 'POST', headers: {} }, handlerWith({ [FLEET_WIDE]: true }));
    const refused = await guard()
      .canActivate(write)
      .catch((error: HttpException) => error);
    expect(refused).toBeInstanceOf(HttpException);
    expect((refused as HttpException).getStatus()).toBe(403);
    expect(JSON.stringify((refused as HttpException).getResponse())).toContain(
      'this needs role write on the whole fleet; yours is limited to part of it',
    );
    const read = contextOf({ method: 'GET', headers: {} }, handlerWith({ [FLEET_WIDE]: true }));
    await expect(guard().canActivate(read)).resolves.toBe(true);

    const nobody = new AuthGuard(
      new Reflector(),
      tokens,
      { bindingsOf: async () => [] },
      limits,
      new Reactions(),
      {} as AppConfig,
      sessions,
    );
    const me = contextOf({ method: 'GET', headers: {} }, handlerWith({ [AUTHENTICATED_ONLY]: true }));
    await expect(nobody.canActivate(me)).resolves.toBe(true);
    await expect(nobody.canActivate(contextOf({ method: 'GET', headers: {} }))).rejects.toMatchObject({
      status: 403,
    });
  });
});
