import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-responses';
import type { FastifyReply } from 'fastify';
import { CommandContext, Ctx, CurrentPrincipal, InScope } from '../../common/auth/auth.decorators';
import { nodeFilter } from '../../common/auth/domain/scope-policy';
import type { Principal } from '../../common/auth/principal';
import { NODE_SCOPE_TARGET, RECONCILE_JOB_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { UuidParam } from '../../common/http/params';
import { BulkReconcileDto, ReconcileOptionsDto } from './reconcile.dto';
import {
  BulkReconcileQueuedView,
  ReconcileDryRunView,
  ReconcileJobView,
  ReconcileProblemView,
  ReconcileQueuedView,
} from './reconcile-view';
import { ReconcileService } from './reconcile.service';

@ApiTags('reconcile')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api')
export class ReconcileController {
  constructor(private readonly reconcile: ReconcileService) {}

  /** 200 with the plan for a dry run, otherwise 202 with the queued job's id. */
  @Post('drift/nodes/:id/reconcile')
  @InScope('node', NODE_SCOPE_TARGET)
  @ApiOperation({
    operationId: 'reconcileNode',
    summary: 'Plan (dry_run) or queue a reconcile of one node; with plan_id, apply exactly that plan',
  })
  @ApiOkResponse({ type: ReconcileDryRunView, description: 'The plan of a dry run; nothing changed' })
  @ApiAcceptedResponse({ type: ReconcileQueuedView, description: 'The reconcile job was queued' })
  @ApiErrors(400, 403, 404, 409, 502)
  async reconcileNode(
    @UuidParam() id: string,
    @Body() body: ReconcileOptionsDto,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<ReconcileDryRunView | ReconcileQueuedView> {
    const answer = await this.reconcile.reconcileNode(id, body, context);
    response.status(answer.status);
    return answer.body;
  }

  @Post('drift/reconcile')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'reconcileNodes',
    summary:
      "Queue a reconcile of the given nodes, or of every enabled node in the caller's scope (a node out of it is 404)",
  })
  @ApiAcceptedResponse({ type: BulkReconcileQueuedView })
  @ApiErrors(400, 403, 404)
  reconcileMany(
    @Body() body: BulkReconcileDto,
    @Ctx() context: CommandContext,
    @CurrentPrincipal() principal: Principal,
  ): Promise<BulkReconcileQueuedView> {
    return this.reconcile.reconcileMany(body, nodeFilter(principal, 'write'), context);
  }

  @Get('drift/nodes/:id/reconcile/latest-problem')
  @InScope('node', NODE_SCOPE_TARGET)
  @ApiOperation({
    operationId: 'getLatestReconcileProblem',
    summary:
      "The node's latest finished reconcile (self-heal or manual) if it failed or left per-peer errors",
  })
  @ApiOkResponse({ type: ReconcileProblemView })
  @ApiErrors(400, 404)
  latestProblem(@UuidParam() id: string): Promise<ReconcileProblemView> {
    return this.reconcile.latestProblem(id);
  }

  @Get('reconcile/jobs/:id')
  @InScope('reconcile job', RECONCILE_JOB_SCOPE_TARGET)
  @ApiOperation({ operationId: 'getReconcileJob' })
  @ApiOkResponse({ type: ReconcileJobView })
  @ApiErrors(400, 404)
  job(@UuidParam() id: string): Promise<ReconcileJobView> {
    return this.reconcile.job(id);
  }
}
