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
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import * as QRCode from 'qrcode';
import { CommandContext, Ctx, RequireRole } from '../../common/auth/auth.decorators';
import { UuidParam } from '../../common/http/params';
import { expectedVersion } from '../../common/http/versioning';
import { VersionQuery, ListQuery } from '../nodes/nodes.dto';
import { CreatePeerDto, QrQuery, UpdatePeerDto } from './peers.dto';
import { PeersService } from './peers.service';

@ApiTags('peers')
@ApiBearerAuth()
@Controller('api')
export class PeersController {
  constructor(private readonly peers: PeersService) {}

  @Post('nodes/:id/peers')
  create(@UuidParam() nodeId: string, @Body() body: CreatePeerDto, @Ctx() context: CommandContext) {
    return this.peers.create(nodeId, body, context);
  }

  @Get('nodes/:id/peers')
  list(@UuidParam() nodeId: string, @Query() query: ListQuery) {
    return this.peers.list(nodeId, query);
  }

  @Get('peers/:id')
  get(@UuidParam() id: string) {
    return this.peers.get(id);
  }

  @Patch('peers/:id')
  update(
    @UuidParam() id: string,
    @Body() body: UpdatePeerDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() context: CommandContext,
  ) {
    const { version, ...changes } = body;
    return this.peers.update(id, changes, expectedVersion(version, ifMatch), context);
  }

  @Delete('peers/:id')
  @HttpCode(204)
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
  @ApiOperation({
    summary: "wg-quick client config with the client's private key (needs a write token)",
  })
  @ApiProduces('text/plain')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  config(@UuidParam() id: string): Promise<string> {
    return this.peers.clientConfig(id);
  }

  @Get('peers/:id/qr')
  @RequireRole('write')
  @ApiOperation({ summary: 'The client config as a QR code (needs a write token)' })
  @ApiProduces('image/svg+xml', 'image/png')
  async qr(@UuidParam() id: string, @Query() query: QrQuery, @Res() response: FastifyReply): Promise<void> {
    const config = await this.peers.clientConfig(id);
    response.header('Cache-Control', 'no-store');
    if (query.format === 'png') {
      await response
        .type('image/png')
        .send(await QRCode.toBuffer(config, { type: 'png', errorCorrectionLevel: 'M' }));
    } else {
      await response
        .type('image/svg+xml')
        .send(await QRCode.toString(config, { type: 'svg', errorCorrectionLevel: 'M' }));
    }
  }
}
