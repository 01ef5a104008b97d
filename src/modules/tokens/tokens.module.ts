import { Module } from '@nestjs/common';
import { MeController } from './me.controller';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';

@Module({
  controllers: [TokensController, MeController],
  providers: [TokensService],
  exports: [TokensService],
})
export class TokensModule {}
