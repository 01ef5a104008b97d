import { Module } from '@nestjs/common';
import { TOKEN_AUTHENTICATOR } from '../../common/auth/token-authenticator';
import { MeController } from './me.controller';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';

@Module({
  controllers: [TokensController, MeController],
  providers: [TokensService, { provide: TOKEN_AUTHENTICATOR, useExisting: TokensService }],
  exports: [TokensService, TOKEN_AUTHENTICATOR],
})
export class TokensModule {}
