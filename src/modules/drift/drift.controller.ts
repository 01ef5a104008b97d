import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParam } from '../../common/http/params';
import { DriftHistory } from './drift-history.service';
import { DriftScanner } from './drift-scanner.service';
import { HistoryQueryDto } from './drift.dto';

@ApiTags('drift')
@ApiBearerAuth()
@Controller('api/drift')
export class DriftController {
  constructor(
    private readonly scanner: DriftScanner,
    private readonly history: DriftHistory,
  ) {}

  @Get('nodes')
  @ApiOperation({ summary: 'Check every enabled node now (stored as scans with trigger "api")' })
  fleet() {
    return this.scanner.scanFleet('api');
  }

  @Get('nodes/:id')
  @ApiOperation({ summary: 'Check one node now (stored as a scan with trigger "api")' })
  node(@UuidParam() id: string) {
    return this.scanner.scanOne(id, 'api');
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
