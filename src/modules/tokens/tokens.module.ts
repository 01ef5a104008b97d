import { Module } from '@nestjs/common';
import { TOKEN_AUTHENTICATOR } from '../../common/auth/token-authenticator';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';
import { TokensStore } from './tokens.store';
import { ApiTokenEntity } from './api-token.entity';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const TOKENS_ENTITIES = [ApiTokenEntity];

@Module({
  controllers: [TokensController],
  providers: [TokensService, TokensStore, { provide: TOKEN_AUTHENTICATOR, useExisting: TokensService }],
  exports: [TokensService, TOKEN_AUTHENTICATOR],
})
export class TokensModule {}
