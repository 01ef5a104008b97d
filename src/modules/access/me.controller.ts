import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedOnly, CurrentPrincipal } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ApiErrors } from '../../common/http/api-responses';
import { MeView } from './binding-view';

@ApiTags('access')
@ApiBearerAuth()
@Controller('api/me')
export class MeController {
  /** Any principal may ask, one without bindings included: the console shows only what the bindings allow. */
  @Get()
  @AuthenticatedOnly()
  @ApiOperation({
    operationId: 'whoAmI',
    summary: 'The caller: a user or a token, and its roles on its scopes',
  })
  @ApiOkResponse({ type: MeView })
  @ApiErrors(401)
  me(@CurrentPrincipal() principal: Principal): MeView {
    return { kind: principal.kind, id: principal.id, name: principal.name, bindings: principal.bindings };
  }
}
