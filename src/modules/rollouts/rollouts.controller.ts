import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, Ctx, FleetWide } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/http/api-responses';
import { UuidParam } from '../../common/http/params';
import type { RolloutCommand } from './domain/rollout-state';
import { CreateRolloutDto } from './rollouts.dto';
import { RolloutsService } from './rollouts.service';
import { RolloutListView, RolloutView } from './rollout-view';

@ApiTags('rollouts')
@ApiBearerAuth()
@ApiErrors(401)
// A rollout orders waves over many nodes and its view lists them all: it needs its role on the whole fleet
// (docs/SECURITY.md, Roles and scopes).
@FleetWide()
@Controller('api/rollouts')
export class RolloutsController {
  constructor(private readonly rollouts: RolloutsService) {}

  @Post()
  @ApiOperation({
    operationId: 'createRollout',
    summary:
      "Plan a rollout (each node's exact dry-run plan, in waves) and start it, or only plan it (dry_run)",
  })
  @ApiCreatedResponse({ type: RolloutView })
  @ApiErrors(400, 403, 404, 409, 502)
  create(@Body() body: CreateRolloutDto, @Ctx() context: CommandContext): Promise<RolloutView> {
    return this.rollouts.create(body, context);
  }

  @Get()
  @ApiOperation({ operationId: 'listRollouts', summary: 'The latest rollouts, newest first' })
  @ApiOkResponse({ type: RolloutListView })
  list(): Promise<RolloutListView> {
    return this.rollouts.list();
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getRollout' })
  @ApiOkResponse({ type: RolloutView })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<RolloutView> {
    return this.rollouts.get(id);
  }

  @Post(':id/start')
  @HttpCode(200)
  @ApiOperation({ operationId: 'startRollout', summary: 'Start a planned rollout' })
  @ApiOkResponse({ type: RolloutView })
  @ApiErrors(400, 403, 404, 409)
  start(@UuidParam() id: string, @Ctx() context: CommandContext): Promise<RolloutView> {
    return this.command(id, 'start', context);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ operationId: 'pauseRollout', summary: 'Pause after the current step' })
  @ApiOkResponse({ type: RolloutView })
  @ApiErrors(400, 403, 404, 409)
  pause(@UuidParam() id: string, @Ctx() context: CommandContext): Promise<RolloutView> {
    return this.command(id, 'pause', context);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'resumeRollout',
    summary: 'Go on with a paused or halted rollout (a halted wave runs its gates again)',
  })
  @ApiOkResponse({ type: RolloutView })
  @ApiErrors(400, 403, 404, 409, 502)
  resume(@UuidParam() id: string, @Ctx() context: CommandContext): Promise<RolloutView> {
    return this.command(id, 'resume', context);
  }

  @Post(':id/abort')
  @HttpCode(200)
  @ApiOperation({ operationId: 'abortRollout', summary: 'Stop for good; nodes already changed stay changed' })
  @ApiOkResponse({ type: RolloutView })
  @ApiErrors(400, 403, 404, 409)
  abort(@UuidParam() id: string, @Ctx() context: CommandContext): Promise<RolloutView> {
    return this.command(id, 'abort', context);
  }

  @Post(':id/rollback')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rollbackRollout',
    summary: 'Take the changed waves back to their previous state, last first, through the same gates',
  })
  @ApiOkResponse({ type: RolloutView })
  @ApiErrors(400, 403, 404, 409)
  rollback(@UuidParam() id: string, @Ctx() context: CommandContext): Promise<RolloutView> {
    return this.command(id, 'rollback', context);
  }

  private command(id: string, cmd: RolloutCommand, context: CommandContext): Promise<RolloutView> {
    return this.rollouts.command(id, cmd, context);
  }
}
