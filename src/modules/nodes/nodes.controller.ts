import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors, Page, PageOf } from '../../common/http/api-responses';
import { CommandContext, Ctx, CurrentPrincipal, FleetWide, InScope } from '../../common/auth/auth.decorators';
import { allows, nodeFilter } from '../../common/auth/domain/scope-policy';
import { ApiError } from '../../common/http/api-error';
import { Reactions } from '../../common/reactions';
import type { Principal } from '../../common/auth/principal';
import { NODE_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { UuidParam } from '../../common/http/params';
import { expectedVersion } from '../../common/http/versioning';
import { VersionQuery } from '../../common/http/queries';
import { NodeListQuery, NodeSettingsQuery, RegisterNodeDto, UpdateNodeDto } from './nodes.dto';
import { InheritedSettingsView, NodeView } from './node-view';
import { NodesService } from './nodes.service';

@ApiTags('nodes')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/nodes')
export class NodesController {
  constructor(
    private readonly nodes: NodesService,
    private readonly reactions: Reactions,
  ) {}

  /** A new node is in no scope yet: registering one takes write on the whole fleet. */
  @Post()
  @FleetWide()
  @ApiOperation({ operationId: 'registerNode' })
  @ApiCreatedResponse({ type: NodeView })
  @ApiErrors(400, 403, 409)
  register(@Body() body: RegisterNodeDto, @Ctx() context: CommandContext): Promise<NodeView> {
    return this.nodes.register(body, context);
  }

  @Get()
  @ApiOperation({ operationId: 'listNodes' })
  @ApiOkResponse({ type: PageOf(NodeView) })
  @ApiErrors(400)
  list(@Query() query: NodeListQuery, @CurrentPrincipal() principal: Principal): Promise<Page<NodeView>> {
    return this.nodes.list(query, nodeFilter(principal, 'read'));
  }

  @Get(':id')
  @InScope('node', NODE_SCOPE_TARGET)
  @ApiOperation({ operationId: 'getNode' })
  @ApiOkResponse({ type: NodeView })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<NodeView> {
    return this.nodes.get(id);
  }

  @Get(':id/settings')
  @InScope('node', NODE_SCOPE_TARGET)
  @ApiOperation({
    operationId: 'getNodeSettings',
    summary:
      "Each setting the node's peers inherit: effective value and source (node, template or default); " +
      '`template_version` previews another version of its template',
  })
  @ApiOkResponse({ type: InheritedSettingsView })
  @ApiErrors(400, 404)
  settings(@UuidParam() id: string, @Query() query: NodeSettingsQuery): Promise<InheritedSettingsView> {
    return this.nodes.settings(id, query.template_version);
  }

  @Patch(':id')
  @InScope('node', NODE_SCOPE_TARGET)
  @ApiOperation({ operationId: 'updateNode' })
  @ApiOkResponse({ type: NodeView })
  @ApiErrors(400, 403, 404, 409)
  async update(
    @UuidParam() id: string,
    @Body() body: UpdateNodeDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() context: CommandContext,
    @CurrentPrincipal() principal: Principal,
  ): Promise<NodeView> {
    const { version, ...changes } = body;
    // New tags must keep the node where the caller may write: a tag scope is not a way out of one's own scope.
    const current = changes.tags === undefined ? null : await this.reactions.ask(NODE_SCOPE_TARGET, id);
    if (current && !allows(principal, 'write', { ...current, tags: changes.tags ?? {} })) {
      throw new ApiError(
        HttpStatus.FORBIDDEN,
        'forbidden',
        'tags: these tags would take the node out of your scope',
        [{ field: 'tags', message: 'outside your scope' }],
      );
    }
    return this.nodes.update(id, changes, expectedVersion(version, ifMatch), context);
  }

  @Post(':id/receipt-key/refresh')
  @HttpCode(200)
  @InScope('node', NODE_SCOPE_TARGET)
  @ApiOperation({
    operationId: 'refreshNodeReceiptKey',
    summary:
      "Pins the agent's current receipt key (recorded as node.updated); the key is otherwise never changed",
  })
  @ApiOkResponse({ type: NodeView })
  @ApiErrors(400, 403, 404, 409, 502)
  refreshReceiptKey(@UuidParam() id: string, @Ctx() context: CommandContext): Promise<NodeView> {
    return this.nodes.refreshReceiptKey(id, context);
  }

  @Delete(':id')
  @HttpCode(204)
  @InScope('node', NODE_SCOPE_TARGET)
  @ApiOperation({ operationId: 'deleteNode' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 403, 404, 409)
  async delete(
    @UuidParam() id: string,
    @Query() query: VersionQuery,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() context: CommandContext,
  ): Promise<void> {
    await this.nodes.delete(id, expectedVersion(query.version, ifMatch), context);
  }
}
