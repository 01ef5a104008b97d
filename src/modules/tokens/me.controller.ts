import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../../common/auth/auth.decorators';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/me')
export class MeController {
  constructor(private readonly tokens: TokensService) {}

  @Get()
  @ApiOperation({ summary: "The calling token's id, role and name (any role)" })
  me(@CurrentActor() actor: Actor) {
    return this.tokens.whoAmI(actor);
  }
}
