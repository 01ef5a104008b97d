import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../../common/auth/auth.decorators';
import { UuidParam } from '../../common/http/params';
import { expectedVersion } from '../../common/http/versioning';
import { ListQuery, VersionQuery } from '../nodes/nodes.dto';
import { CreateWebhookDto, UpdateWebhookDto } from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('api/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** The answer carries `secret` (whsec_...), shown this once. */
  @Post()
  create(@Body() body: CreateWebhookDto) {
    return this.webhooks.create(body);
  }

  @Get()
  list(@Query() query: ListQuery) {
    return this.webhooks.list(query);
  }

  @Get(':id')
  get(@UuidParam() id: string) {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  update(
    @UuidParam() id: string,
    @Body() body: UpdateWebhookDto,
    @Headers('if-match') ifMatch: string | undefined,
  ) {
    const { version, ...changes } = body;
    return this.webhooks.update(id, changes, expectedVersion(version, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(
    @UuidParam() id: string,
    @Query() query: VersionQuery,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.webhooks.delete(id, expectedVersion(query.version, ifMatch));
  }

  /** New secret, shown once; the old one keeps signing beside it for 24 h. */
  @Post(':id/rotate-secret')
  @HttpCode(200)
  rotateSecret(@UuidParam() id: string) {
    return this.webhooks.rotateSecret(id);
  }

  @Post(':id/test')
  @HttpCode(202)
  sendTest(@UuidParam() id: string) {
    return this.webhooks.sendTest(id);
  }

  @Get(':id/deliveries')
  deliveries(@UuidParam() id: string, @Query() query: ListQuery) {
    return this.webhooks.deliveries(id, query);
  }

  @Post('deliveries/:id/redeliver')
  @HttpCode(202)
  redeliver(@UuidParam() id: string) {
    return this.webhooks.redeliver(id);
  }
}
