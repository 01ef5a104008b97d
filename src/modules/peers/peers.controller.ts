import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  Headers,
  HttpCode,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandContext, Ctx, InScope, RequireRole } from '../../common/auth/auth.decorators';
import { CLUSTER_SCOPE_TARGET, NODE_SCOPE_TARGET, PEER_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { ApiContentResponse, ApiErrors, Page, PageOf } from '../../common/http/api-responses';
import { UuidParam } from '../../common/http/params';
import { expectedVersion } from '../../common/http/versioning';
import { VersionQuery } from '../../common/http/queries';
import { clientQr } from './client-qr';
import { CreatePeerDto, PeerListQuery, QrQuery, UpdatePeerDto } from './peers.dto';
import { PeerView } from './peer-view';
import { PeersService } from './peers.service';

@ApiTags('peers')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api')
export class PeersController {
  constructor(private readonly peers: PeersService) {}

  @Post('nodes/:id/peers')
  @InScope('node', NODE_SCOPE_TARGET)
  @ApiOperation({ operationId: 'createPeer' })
  @ApiCreatedResponse({ type: PeerView })
  @ApiErrors(400, 403, 404, 409, 503)
  create(
    @UuidParam() nodeId: string,
    @Body() body: CreatePeerDto,
    @Ctx() context: CommandContext,
  ): Promise<PeerView> {
    return this.peers.create(nodeId, body, context);
  }

  @Get('nodes/:id/peers')
  @InScope('node', NODE_SCOPE_TARGET)
  @ApiOperation({ operationId: 'listPeers' })
  @ApiOkResponse({ type: PageOf(PeerView) })
  @ApiErrors(400, 404)
  list(@UuidParam() nodeId: string, @Query() query: PeerListQuery): Promise<Page<PeerView>> {
    return this.peers.list(nodeId, query);
  }

  @Post('clusters/:id/peers')
  @InScope('cluster', CLUSTER_SCOPE_TARGET)
  @ApiOperation({
    operationId: 'createClusterPeer',
    summary: "A peer with an address from the cluster's pool, carried by every member",
  })
  @ApiCreatedResponse({ type: PeerView })
  @ApiErrors(400, 403, 404, 409, 503)
  createInCluster(
    @UuidParam() clusterId: string,
    @Body() body: CreatePeerDto,
    @Ctx() context: CommandContext,
  ): Promise<PeerView> {
    return this.peers.createInCluster(clusterId, body, context);
  }

  @Get('clusters/:id/peers')
  @InScope('cluster', CLUSTER_SCOPE_TARGET)
  @ApiOperation({ operationId: 'listClusterPeers' })
  @ApiOkResponse({ type: PageOf(PeerView) })
  @ApiErrors(400, 404)
  listCluster(@UuidParam() clusterId: string, @Query() query: PeerListQuery): Promise<Page<PeerView>> {
    return this.peers.listCluster(clusterId, query);
  }

  @Get('peers/:id')
  @InScope('peer', PEER_SCOPE_TARGET)
  @ApiOperation({ operationId: 'getPeer' })
  @ApiOkResponse({ type: PeerView })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<PeerView> {
    return this.peers.get(id);
  }

  @Patch('peers/:id')
  @InScope('peer', PEER_SCOPE_TARGET)
  @ApiOperation({ operationId: 'updatePeer' })
  @ApiOkResponse({ type: PeerView })
  @ApiErrors(400, 403, 404, 409)
  update(
    @UuidParam() id: string,
    @Body() body: UpdatePeerDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() context: CommandContext,
  ): Promise<PeerView> {
    const { version, ...changes } = body;
    return this.peers.update(id, changes, expectedVersion(version, ifMatch), context);
  }

  @Delete('peers/:id')
  @HttpCode(204)
  @InScope('peer', PEER_SCOPE_TARGET)
  @ApiOperation({ operationId: 'deletePeer' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 403, 404, 409)
  async delete(
    @UuidParam() id: string,
    @Query() query: VersionQuery,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() context: CommandContext,
  ): Promise<void> {
    await this.peers.delete(id, expectedVersion(query.version, ifMatch), context);
  }

  // The config holds the client's private and preshared keys: a read token must not see them.
  @Get('peers/:id/config')
  @RequireRole('write')
  @InScope('peer', PEER_SCOPE_TARGET)
  @ApiOperation({
    operationId: 'getPeerConfig',
    summary: "The wg-quick client config with the client's private key (needs a write token)",
  })
  @ApiContentResponse(200, 'The client config', { 'text/plain': 'text' })
  @ApiErrors(400, 403, 404, 409)
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  config(@UuidParam() id: string): Promise<string> {
    return this.peers.clientConfig(id);
  }

  @Get('peers/:id/qr')
  @RequireRole('write')
  @InScope('peer', PEER_SCOPE_TARGET)
  @ApiOperation({
    operationId: 'getPeerQr',
    summary: 'The client config as a QR code: SVG, or PNG with ?format=png (needs a write token)',
  })
  @ApiContentResponse(200, 'The QR code', { 'image/svg+xml': 'text', 'image/png': 'binary' })
  @ApiErrors(400, 403, 404, 409)
  async qr(@UuidParam() id: string, @Query() query: QrQuery, @Res() response: FastifyReply): Promise<void> {
    const qr = await clientQr(await this.peers.clientConfig(id), query.format ?? 'svg');
    await response.header('Cache-Control', 'no-store').type(qr.type).send(qr.body);
  }
}
