import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CommandContext, Ctx, FleetWide, InScope } from '../../common/auth/auth.decorators';
import { CLUSTER_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { ApiErrors, Page, PageOf } from '../../common/http/api-responses';
import { UuidParam } from '../../common/http/params';
import { ListQuery, VersionQuery } from '../../common/http/queries';
import { expectedVersion } from '../../common/http/versioning';
import { ClusterView } from './cluster-view';
import { AddMemberDto, CreateClusterDto, UpdateClusterDto } from './clusters.dto';
import { ClustersService } from './clusters.service';

@ApiTags('clusters')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/clusters')
export class ClustersController {
  constructor(private readonly clusters: ClustersService) {}

  @Post()
  @FleetWide()
  @ApiOperation({ operationId: 'createCluster' })
  @ApiCreatedResponse({ type: ClusterView })
  @ApiErrors(400, 403, 409)
  create(@Body() body: CreateClusterDto, @Ctx() context: CommandContext): Promise<ClusterView> {
    return this.clusters.create(body, context);
  }

  @Get()
  @FleetWide()
  @ApiOperation({ operationId: 'listClusters' })
  @ApiOkResponse({ type: PageOf(ClusterView) })
  @ApiErrors(400)
  list(@Query() query: ListQuery): Promise<Page<ClusterView>> {
    return this.clusters.list(query);
  }

  @Get(':id')
  @InScope('cluster', CLUSTER_SCOPE_TARGET)
  @ApiOperation({ operationId: 'getCluster' })
  @ApiOkResponse({ type: ClusterView })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<ClusterView> {
    return this.clusters.get(id);
  }

  @Patch(':id')
  @InScope('cluster', CLUSTER_SCOPE_TARGET)
  @ApiOperation({ operationId: 'updateCluster' })
  @ApiOkResponse({ type: ClusterView })
  @ApiErrors(400, 403, 404, 409)
  update(
    @UuidParam() id: string,
    @Body() body: UpdateClusterDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() context: CommandContext,
  ): Promise<ClusterView> {
    const { version, ...changes } = body;
    return this.clusters.update(id, changes, expectedVersion(version, ifMatch), context);
  }

  @Delete(':id')
  @HttpCode(204)
  @InScope('cluster', CLUSTER_SCOPE_TARGET)
  @ApiOperation({ operationId: 'deleteCluster' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 403, 404, 409)
  async delete(
    @UuidParam() id: string,
    @Query() query: VersionQuery,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() context: CommandContext,
  ): Promise<void> {
    await this.clusters.delete(id, expectedVersion(query.version, ifMatch), context);
  }

  @Post(':id/members')
  // A member joins the cluster's scope: only a writer of the whole fleet may bring a node in (or take one out).
  @FleetWide()
  @ApiOperation({
    operationId: 'addClusterMember',
    summary:
      "Adds a node whose interface key is the cluster's (409 naming node_id and both fingerprints if not)",
  })
  @ApiCreatedResponse({ type: ClusterView })
  @ApiErrors(400, 403, 404, 409)
  addMember(
    @UuidParam() id: string,
    @Body() body: AddMemberDto,
    @Ctx() context: CommandContext,
  ): Promise<ClusterView> {
    return this.clusters.addMember(id, body, context);
  }

  @Delete(':id/members/:node_id')
  @FleetWide()
  @ApiOperation({ operationId: 'removeClusterMember' })
  @ApiOkResponse({ type: ClusterView })
  @ApiErrors(400, 403, 404)
  removeMember(
    @UuidParam() id: string,
    @UuidParam('node_id') nodeId: string,
    @Ctx() context: CommandContext,
  ): Promise<ClusterView> {
    return this.clusters.removeMember(id, nodeId, context);
  }
}
