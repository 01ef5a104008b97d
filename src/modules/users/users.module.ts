import { Module } from '@nestjs/common';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { UsersStore } from './users.store';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const USERS_ENTITIES = [UserEntity];

/** People known from sign-in (docs/SECURITY.md "Roles and scopes"). */
@Module({
  controllers: [UsersController],
  providers: [UsersService, UsersStore],
  exports: [UsersService],
})
export class UsersModule {}
