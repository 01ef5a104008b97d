import { Module } from '@nestjs/common';
import { TOKEN_AUTHENTICATOR } from '../../common/auth/token-authenticator';
import { MeController } from './me.controller';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';
import { TokensStore } from './tokens.store';

@Module({
  controllers: [TokensController, MeController],
  providers: [TokensService, TokensStore, { provide: TOKEN_AUTHENTICATOR, useExisting: TokensService }],
  exports: [TokensService, TOKEN_AUTHENTICATOR],
})
export class TokensModule {}
