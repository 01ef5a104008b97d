import { Controller, Get, Query } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-responses';
import { UuidParam } from '../../common/http/params';
import { InScope } from '../../common/auth/auth.decorators';
import { PEER_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { PeersService } from '../peers';
import { LimitQuery } from '../../common/http/queries';
import { UsagePeriodList } from './peer-usage-view';
import { PeerUsageStore } from './peer-usage.store';

@ApiTags('peers')
@ApiBearerAuth()
@Controller('api')
export class PeerUsageController {
  constructor(
    private readonly em: EntityManager,
    private readonly peers: PeersService,
    private readonly usage: PeerUsageStore,
  ) {}

  /** The peer's usage per period, newest first. */
  @Get('peers/:id/usage')
  @InScope('peer', PEER_SCOPE_TARGET)
  @ApiOperation({ operationId: 'getPeerUsage', summary: "The peer's usage per quota period, newest first" })
  @ApiOkResponse({ type: UsagePeriodList })
  @ApiErrors(400, 401, 404)
  async history(@UuidParam() id: string, @Query() query: LimitQuery): Promise<UsagePeriodList> {
    const em = this.em.fork();
    await this.peers.require(em, id);
    const rows = await this.usage.history(em, id, query.limit ?? 100);
    return {
      items: rows.map((row) => ({
        ...row,
        period_start: new Date(row.period_start).toISOString(),
        period_end: row.period_end === null ? null : new Date(row.period_end).toISOString(),
      })),
    };
  }
}
