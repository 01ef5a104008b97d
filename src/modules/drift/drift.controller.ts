import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Page, PageOf } from '../../common/http/api-responses';
import { FleetDriftReportView, NodeDriftReportView } from './drift-report-view';
import { ScanDetailView, ScanView } from './drift-scan-view';
import { UuidParam } from '../../common/http/params';
import { DriftHistory } from './drift-history.service';
import { LiveDriftReads } from './live-drift-reads.service';
import { HistoryQueryDto } from './drift.dto';
import { CurrentPrincipal, InScope } from '../../common/auth/auth.decorators';
import { nodeFilter } from '../../common/auth/domain/scope-policy';
import type { Principal } from '../../common/auth/principal';
import { NODE_SCOPE_TARGET, SCAN_SCOPE_TARGET } from '../../common/auth/scope-targets';

@ApiTags('drift')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/drift')
export class DriftController {
  constructor(
    private readonly live: LiveDriftReads,
    private readonly history: DriftHistory,
  ) {}

  @Get('nodes')
  @ApiOperation({
    operationId: 'getFleetDrift',
    summary: 'Check every enabled node in the caller\'s scope now (stored as scans with trigger "api")',
    description:
      'A node scanned less than DRIFT_LIVE_MIN_INTERVAL_S ago is answered with its latest scan; concurrent ' +
      'requests share one scan per node.',
  })
  @ApiOkResponse({ type: FleetDriftReportView })
  fleet(@CurrentPrincipal() principal: Principal): Promise<FleetDriftReportView> {
    return this.live.fleet(nodeFilter(principal, 'read'));
  }

  @Get('nodes/:id')
  @InScope('node', NODE_SCOPE_TARGET)
  @ApiOperation({
    operationId: 'getNodeDrift',
    summary: 'Check one node now (stored as a scan with trigger "api")',
    description:
      'Scanned less than DRIFT_LIVE_MIN_INTERVAL_S ago, the node is answered with its latest scan; concurrent ' +
      'requests share one scan.',
  })
  @ApiOkResponse({ type: NodeDriftReportView })
  @ApiErrors(400, 404)
  node(@UuidParam() id: string): Promise<NodeDriftReportView> {
    return this.live.node(id);
  }

  @Get('nodes/:id/history')
  @InScope('node', NODE_SCOPE_TARGET)
  @ApiOperation({
    operationId: 'listDriftScans',
    summary: "The node's stored scans, newest first, without their full reports",
  })
  @ApiOkResponse({ type: PageOf(ScanView) })
  @ApiErrors(400, 404)
  nodeHistory(@UuidParam() id: string, @Query() query: HistoryQueryDto): Promise<Page<ScanView>> {
    return this.history.history(id, { limit: query.limit ?? 50, before: query.before });
  }

  @Get('scans/:scan_id')
  @InScope('scan', SCAN_SCOPE_TARGET, 'scan_id')
  @ApiOperation({ operationId: 'getDriftScan', summary: 'One stored scan with its full report' })
  @ApiOkResponse({ type: ScanDetailView })
  @ApiErrors(400, 404)
  scan(@UuidParam('scan_id') id: string): Promise<ScanDetailView> {
    return this.history.scan(id);
  }
}
