import { Controller, Get, Res } from '@nestjs/common';
import { FleetWide } from '../../common/auth/auth.decorators';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { ApiContentResponse, ApiErrors } from '../../common/http/api-responses';
import { AuditKeyList, AuditStatusView, CheckpointList } from './audit-view';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@FleetWide()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('checkpoints')
  @ApiOperation({
    operationId: 'listAuditCheckpoints',
    summary: 'Every signed checkpoint of the audit chain',
  })
  @ApiOkResponse({ type: CheckpointList })
  @ApiErrors(401)
  async checkpoints(): Promise<CheckpointList> {
    return { items: await this.audit.listCheckpoints() };
  }

  @Get('status')
  @ApiOperation({
    operationId: 'getAuditStatus',
    summary: "The panel's latest check of its own chain (at start-up and every AUDIT_VERIFY_INTERVAL_S)",
  })
  @ApiOkResponse({ type: AuditStatusView })
  @ApiErrors(401)
  status(): Promise<AuditStatusView> {
    return this.audit.status();
  }

  @Get('keys')
  @ApiOperation({ operationId: 'listAuditKeys', summary: "The panel's checkpoint keys (public halves)" })
  @ApiOkResponse({ type: AuditKeyList })
  @ApiErrors(401)
  async keys(): Promise<AuditKeyList> {
    return { items: await this.audit.keys() };
  }

  @Get('export')
  @ApiOperation({
    operationId: 'exportAudit',
    summary: 'The audit chain as NDJSON: keys, checkpoints, then every sealed event (docs/AUDIT.md)',
  })
  @ApiContentResponse(200, 'One JSON object a line', { 'application/x-ndjson': 'text' })
  @ApiErrors(401)
  async export(@Res() response: FastifyReply): Promise<void> {
    await response
      .header('Cache-Control', 'no-store')
      .type('application/x-ndjson')
      .send(Readable.from(this.audit.exportLines()));
  }
}
