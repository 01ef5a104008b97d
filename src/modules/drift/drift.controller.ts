import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../common/http/params';
import { DriftHistory } from './drift-history.service';
import { LiveDriftReads } from './live-drift-reads.service';
import { HistoryQueryDto } from './drift.dto';

@ApiTags('drift')
@ApiBearerAuth()
@Controller('api/drift')
export class DriftController {
  constructor(
    private readonly live: LiveDriftReads,
    private readonly history: DriftHistory,
  ) {}

  @Get('nodes')
  @ApiOperation({
    summary: 'Check every enabled node now (stored as scans with trigger "api")',
    description:
      'A node scanned less than DRIFT_LIVE_MIN_INTERVAL_S ago is answered with its latest scan; concurrent ' +
      'requests share one scan per node.',
  })
  fleet() {
    return this.live.fleet();
  }

  @Get('nodes/:id')
  @ApiOperation({
    summary: 'Check one node now (stored as a scan with trigger "api")',
    description:
      'Scanned less than DRIFT_LIVE_MIN_INTERVAL_S ago, the node is answered with its latest scan; concurrent ' +
      'requests share one scan.',
  })
  node(@UuidParam() id: string) {
    return this.live.node(id);
  }

  @Get('nodes/:id/history')
  @ApiOperation({ summary: "The node's stored scans, newest first, without their full reports" })
  nodeHistory(@UuidParam() id: string, @Query() query: HistoryQueryDto) {
    return this.history.history(id, { limit: query.limit ?? 50, before: query.before });
  }

  @Get('scans/:scan_id')
  @ApiOperation({ summary: 'One stored scan with its full report' })
  scan(@UuidParam('scan_id') id: string) {
    return this.history.scan(id);
  }
}
