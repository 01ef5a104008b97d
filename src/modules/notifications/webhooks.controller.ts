import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, Page, PageOf } from '../../common/http/api-responses';
import { FleetWide, RequireRole } from '../../common/auth/auth.decorators';
import { UuidParam } from '../../common/http/params';
import { expectedVersion } from '../../common/http/versioning';
import { ListQuery, VersionQuery } from '../../common/http/queries';
import { CreateWebhookDto, UpdateWebhookDto } from './webhooks.dto';
import { DeliveryView, WebhookView, WebhookWithSecretView } from './webhook-view';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@RequireRole('admin')
@FleetWide()
@ApiErrors(401, 403)
@Controller('api/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** The answer carries `secret` (whsec_...), shown this once. */
  @Post()
  @ApiOperation({ operationId: 'createWebhook' })
  @ApiCreatedResponse({ type: WebhookWithSecretView })
  @ApiErrors(400)
  create(@Body() body: CreateWebhookDto): Promise<WebhookWithSecretView> {
    return this.webhooks.create(body);
  }

  @Get()
  @ApiOperation({ operationId: 'listWebhooks' })
  @ApiOkResponse({ type: PageOf(WebhookView) })
  @ApiErrors(400)
  list(@Query() query: ListQuery): Promise<Page<WebhookView>> {
    return this.webhooks.list(query);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getWebhook' })
  @ApiOkResponse({ type: WebhookView })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<WebhookView> {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  @ApiOperation({ operationId: 'updateWebhook' })
  @ApiOkResponse({ type: WebhookView })
  @ApiErrors(400, 404, 409)
  update(
    @UuidParam() id: string,
    @Body() body: UpdateWebhookDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<WebhookView> {
    const { version, ...changes } = body;
    return this.webhooks.update(id, changes, expectedVersion(version, ifMatch));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteWebhook' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404, 409)
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
  @ApiOperation({ operationId: 'rotateWebhookSecret' })
  @ApiOkResponse({ type: WebhookWithSecretView })
  @ApiErrors(400, 404)
  rotateSecret(@UuidParam() id: string): Promise<WebhookWithSecretView> {
    return this.webhooks.rotateSecret(id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ operationId: 'testWebhook', summary: 'Queue a `test` event to this subscription' })
  @ApiAcceptedResponse({ type: DeliveryView })
  @ApiErrors(400, 404, 409)
  sendTest(@UuidParam() id: string): Promise<DeliveryView> {
    return this.webhooks.sendTest(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ operationId: 'listWebhookDeliveries' })
  @ApiOkResponse({ type: PageOf(DeliveryView) })
  @ApiErrors(400, 404)
  deliveries(@UuidParam() id: string, @Query() query: ListQuery): Promise<Page<DeliveryView>> {
    return this.webhooks.deliveries(id, query);
  }

  @Post('deliveries/:id/redeliver')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'redeliverWebhookDelivery',
    summary: 'Send a delivery again, as a new delivery',
  })
  @ApiAcceptedResponse({ type: DeliveryView })
  @ApiErrors(400, 404, 409)
  redeliver(@UuidParam() id: string): Promise<DeliveryView> {
    return this.webhooks.redeliver(id);
  }
}
