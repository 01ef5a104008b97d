import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Page, PageOf } from '../../common/http/api-responses';
import { FleetDriftReportView, NodeDriftReportView } from './drift-report-view';
import { ScanDetailView, ScanView } from './drift-scan-view';
import { UuidParam } from '../../common/http/params';
import { DriftHistory } from './drift-history.service';
import { DriftScanner } from './drift-scanner.service';
import { HistoryQueryDto } from './drift.dto';

@ApiTags('drift')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/drift')
export class DriftController {
  constructor(
    private readonly scanner: DriftScanner,
    private readonly history: DriftHistory,
  ) {}

  @Get('nodes')
  @ApiOperation({
    operationId: 'getFleetDrift',
    summary: 'Check every enabled node now (stored as scans with trigger "api")',
  })
  @ApiOkResponse({ type: FleetDriftReportView })
  fleet(): Promise<FleetDriftReportView> {
    return this.scanner.scanFleet('api');
  }

  @Get('nodes/:id')
  @ApiOperation({
    operationId: 'getNodeDrift',
    summary: 'Check one node now (stored as a scan with trigger "api")',
  })
  @ApiOkResponse({ type: NodeDriftReportView })
  @ApiErrors(400, 404)
  node(@UuidParam() id: string): Promise<NodeDriftReportView> {
    return this.scanner.scanOne(id, 'api');
  }

  @Get('nodes/:id/history')
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
  @ApiOperation({ operationId: 'getDriftScan', summary: 'One stored scan with its full report' })
  @ApiOkResponse({ type: ScanDetailView })
  @ApiErrors(400, 404)
  scan(@UuidParam('scan_id') id: string): Promise<ScanDetailView> {
    return this.history.scan(id);
  }
}
