import { Module } from '@nestjs/common';
import { USER_BINDINGS } from '../../common/auth/token-authenticator';
import { UsersModule } from '../users/users.module';
import { BindingEntity } from './binding.entity';
import { BindingsController } from './bindings.controller';
import { BindingsService } from './bindings.service';
import { BindingsStore } from './bindings.store';
import { MeController } from './me.controller';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const ACCESS_ENTITIES = [BindingEntity];

/**
 * Role bindings and the caller's own view of them. The scope policy itself is in common/auth (every module's
 * routes apply it); this module stores the bindings and provides a user's to the guard.
 */
@Module({
  imports: [UsersModule],
  controllers: [BindingsController, MeController],
  providers: [BindingsService, BindingsStore, { provide: USER_BINDINGS, useExisting: BindingsService }],
  exports: [BindingsService, USER_BINDINGS],
})
export class AccessModule {}
