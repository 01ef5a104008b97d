import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/http/api-responses';
import { WhoAmIView } from './token-view';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api/me')
export class MeController {
  constructor(private readonly tokens: TokensService) {}

  @Get()
  @ApiOperation({ operationId: 'whoAmI', summary: "The calling token's id, role and name (any role)" })
  @ApiOkResponse({ type: WhoAmIView })
  @ApiErrors(401)
  me(@CurrentActor() actor: Actor): Promise<WhoAmIView> {
    return this.tokens.whoAmI(actor);
  }
}
