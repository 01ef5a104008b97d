import { Module } from '@nestjs/common';
import { SESSION_AUTHENTICATOR } from '../../common/auth/token-authenticator';
import { UsersModule } from '../users/users.module';
import { OidcClient } from './oidc-client';
import { OidcLoginEntity, SessionEntity, SsoCliCodeEntity } from './session.entity';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { SessionsStore } from './sessions.store';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const SESSIONS_ENTITIES = [SessionEntity, OidcLoginEntity, SsoCliCodeEntity];

@Module({
  imports: [UsersModule],
  controllers: [SessionsController],
  providers: [
    SessionsService,
    SessionsStore,
    OidcClient,
    { provide: SESSION_AUTHENTICATOR, useExisting: SessionsService },
  ],
  exports: [SESSION_AUTHENTICATOR],
})
export class SessionsModule {}
