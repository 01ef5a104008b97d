import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../common/auth/auth.decorators';
import { UuidParam } from '../../common/http/params';
import { CreateTokenDto } from './tokens.dto';
import { TokensService } from './tokens.service';

@ApiTags('tokens')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('api/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  /** The token itself is shown once, in this answer only. */
  @Post()
  create(@Body() body: CreateTokenDto) {
    return this.tokens.create(body.name, body.role);
  }

  @Get()
  async list() {
    return { items: await this.tokens.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@UuidParam() id: string): Promise<void> {
    await this.tokens.revoke(id);
  }
}
