import { requestContext, systemContext } from './auth.decorators';
import type { Principal } from './principal';

const request = (headers: Record<string, string>, id = 'req-1') => ({ id, headers });
const token: Principal = { kind: 'token', id: 'tok-1', name: 'ci-bot', bindings: [] };
const user: Principal = { kind: 'user', id: 'user-1', name: 'Ada', bindings: [], via: 'session' };

describe('requestContext', () => {
  it('names a token, the client its header selects and the request', () => {
    expect(requestContext(request({ 'x-wgfleet-client': 'cli/0.1.0' }), token)).toEqual({
      actorTokenId: 'tok-1',
      requestId: 'req-1',
      actor: { kind: 'token', id: 'tok-1', name: 'ci-bot', via: 'cli', request_id: 'req-1' },
    });
  });

  it('names a user (no token id), through the console', () => {
    expect(requestContext(request({ 'x-wgfleet-client': 'console' }), user)).toEqual({
      actorTokenId: null,
      requestId: 'req-1',
      actor: { kind: 'user', id: 'user-1', name: 'Ada', via: 'console', request_id: 'req-1' },
    });
  });

  it('takes any other client header, or none, as the API', () => {
    expect(requestContext(request({ 'x-wgfleet-client': 'console-hacker/1' }), user).actor.via).toBe('api');
    expect(requestContext(request({}), token).actor.via).toBe('api');
  });
});

describe('systemContext', () => {
  it('names the component, with no token and no request', () => {
    expect(systemContext('self-heal')).toEqual({
      actorTokenId: null,
      requestId: null,
      actor: { kind: 'system', id: 'self-heal', name: 'self-heal', via: 'api', request_id: null },
    });
  });
});
