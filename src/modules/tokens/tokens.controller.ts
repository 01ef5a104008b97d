import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-responses';
import { FleetWide, RequireRole } from '../../common/auth/auth.decorators';
import { UuidParam } from '../../common/http/params';
import { CreateTokenDto } from './tokens.dto';
import { CreatedTokenView, TokenList } from './token-view';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@ApiBearerAuth()
@RequireRole('admin')
@FleetWide()
@ApiErrors(401, 403)
@Controller('api/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  /** The token itself is shown once, in this answer only. */
  @Post()
  @ApiOperation({ operationId: 'createToken' })
  @ApiCreatedResponse({ type: CreatedTokenView })
  @ApiErrors(400)
  create(@Body() body: CreateTokenDto): Promise<CreatedTokenView> {
    return this.tokens.create(body.name, body.role, body.scope);
  }

  @Get()
  @ApiOperation({ operationId: 'listTokens' })
  @ApiOkResponse({ type: TokenList })
  async list(): Promise<TokenList> {
    return { items: await this.tokens.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeToken' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(400, 404)
  async revoke(@UuidParam() id: string): Promise<void> {
    await this.tokens.revoke(id);
  }
}
