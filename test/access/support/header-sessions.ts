import { DynamicModule, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '../../../src/common/auth/principal';
import { SESSION_AUTHENTICATOR, SessionAuthenticator } from '../../../src/common/auth/token-authenticator';
import { UsersService } from '../../../src/modules/users';
import { UsersModule } from '../../../src/modules/users/users.module';

/** The header a test names its signed-in user with. */
export const TEST_USER_HEADER = 'X-Test-User';

/** Stands in for sign-in: the request names a stored user in a header (test-only, never in the panel). */
@Injectable()
class HeaderSessions implements SessionAuthenticator {
  constructor(private readonly users: UsersService) {}

  async authenticate(request: FastifyRequest): Promise<AuthenticatedUser | null> {
    const id = request.headers[TEST_USER_HEADER.toLowerCase()];
    const user = typeof id === 'string' ? await this.users.find(id) : null;
    return user && { id: user.id, name: user.name, groups: user.groups, via: 'test' };
  }
}

/** Pass to startPanel's imports: requests with X-Test-User act as that user. */
export const headerSessions: DynamicModule = {
  module: class HeaderSessionsModule {},
  imports: [UsersModule],
  providers: [{ provide: SESSION_AUTHENTICATOR, useClass: HeaderSessions }],
  exports: [SESSION_AUTHENTICATOR],
};
