import { Body, Controller, Delete, Get, Header, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandContext, Ctx, CurrentPrincipal, RequireRole } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ApiContentResponse, ApiErrors } from '../../common/http/api-responses';
import { UuidParam } from '../../common/http/params';
import { clientQr, PeerView, QrQuery } from '../peers';
import { CreateOwnPeerDto, OwnPeerList, SelfServiceNodeList } from './self-service.dto';
import { SelfService } from './self-service.service';

/** "My devices": what role `self` may do, and all it may do (docs/SECURITY.md). Every role may use it too. */
@ApiTags('self-service')
@ApiBearerAuth()
@ApiErrors(401)
@RequireRole('self')
@Controller('api/me')
export class SelfServiceController {
  constructor(private readonly self: SelfService) {}

  @Get('peers')
  @ApiOperation({ operationId: 'listOwnPeers', summary: 'The peers you own' })
  @ApiOkResponse({ type: OwnPeerList })
  async list(@CurrentPrincipal() principal: Principal): Promise<OwnPeerList> {
    return { items: await this.self.list(principal) };
  }

  @Get('nodes')
  @ApiOperation({ operationId: 'listSelfServiceNodes', summary: 'The nodes you may add a device on' })
  @ApiOkResponse({ type: SelfServiceNodeList })
  async nodes(@CurrentPrincipal() principal: Principal): Promise<SelfServiceNodeList> {
    return { items: await this.self.allowedNodes(principal) };
  }

  @Post('peers')
  @ApiOperation({
    operationId: 'createOwnPeer',
    summary: 'Adds a device you own, on a node your binding allows, up to SELF_SERVICE_PEER_LIMIT',
  })
  @ApiCreatedResponse({ type: PeerView })
  @ApiErrors(400, 404, 409, 503)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateOwnPeerDto,
    @Ctx() context: CommandContext,
  ): Promise<PeerView> {
    return this.self.create(principal, body, context);
  }

  @Get('peers/:id/config')
  @ApiOperation({ operationId: 'getOwnPeerConfig', summary: "Your device's wg-quick config" })
  @ApiContentResponse(200, 'The client config', { 'text/plain': 'text' })
  @ApiErrors(400, 404, 409)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  config(@CurrentPrincipal() principal: Principal, @UuidParam() id: string): Promise<string> {
    return this.self.clientConfig(principal, id);
  }

  @Get('peers/:id/qr')
  @ApiOperation({ operationId: 'getOwnPeerQr', summary: "Your device's config as a QR code" })
  @ApiContentResponse(200, 'The QR code', { 'image/svg+xml': 'text', 'image/png': 'binary' })
  @ApiErrors(400, 404, 409)
  async qr(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Query() query: QrQuery,
    @Res() response: FastifyReply,
  ): Promise<void> {
    const qr = await clientQr(await this.self.clientConfig(principal, id), query.format ?? 'svg');
    await response.header('Cache-Control', 'no-store').type(qr.type).send(qr.body);
  }

  @Delete('peers/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteOwnPeer' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404, 409)
  async delete(
    @CurrentPrincipal() principal: Principal,
    @UuidParam() id: string,
    @Ctx() context: CommandContext,
  ): Promise<void> {
    await this.self.delete(principal, id, context);
  }
}
