import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CommandContext, Ctx } from '../../common/auth/auth.decorators';
import { UuidParam } from '../../common/http/params';
import { BulkReconcileDto, ReconcileOptionsDto } from './reconcile.dto';
import { ReconcileService } from './reconcile.service';

@ApiTags('reconcile')
@ApiBearerAuth()
@Controller('api')
export class ReconcileController {
  constructor(private readonly reconcile: ReconcileService) {}

  /** 200 with the plan for a dry run, otherwise 202 with the queued job's id. */
  @Post('drift/nodes/:id/reconcile')
  async reconcileNode(
    @UuidParam() id: string,
    @Body() body: ReconcileOptionsDto,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const answer = await this.reconcile.reconcileNode(id, body, context);
    response.status(answer.status);
    return answer.body;
  }

  @Post('drift/reconcile')
  @HttpCode(202)
  reconcileMany(@Body() body: BulkReconcileDto, @Ctx() context: CommandContext) {
    return this.reconcile.reconcileMany(body, context);
  }

  @Get('reconcile/jobs/:id')
  job(@UuidParam() id: string) {
    return this.reconcile.job(id);
  }
}
