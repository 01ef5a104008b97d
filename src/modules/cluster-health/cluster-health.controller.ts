import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, Ctx } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/http/api-responses';
import { UuidParam } from '../../common/http/params';
import { ClusterDnsNowView, MemberPlanView } from './cluster-health-view';
import { MemberPlanDto } from './cluster-health.dto';
import { ClusterDnsNow } from './dns-now.service';
import { MemberDrains } from './member-drain.service';

@ApiTags('clusters')
@ApiBearerAuth()
@Controller('api/clusters')
export class ClusterHealthController {
  constructor(
    private readonly drains: MemberDrains,
    private readonly dnsNow: ClusterDnsNow,
  ) {}

  /** Out of DNS, wait for its clients to leave, then maintenance: a dry run answers the plan to run. */
  @Post(':id/members/:node_id/drain')
  @HttpCode(200)
  @ApiOperation({ operationId: 'drainClusterMember' })
  @ApiOkResponse({ type: MemberPlanView })
  @ApiErrors(400, 401, 403, 404, 409)
  drain(
    @UuidParam() id: string,
    @UuidParam('node_id') nodeId: string,
    @Body() body: MemberPlanDto,
    @Ctx() context: CommandContext,
  ): Promise<MemberPlanView> {
    return this.drains.handle('drain', id, nodeId, body, context);
  }

  /** Back into DNS once healthy: a dry run answers the plan to run. */
  @Post(':id/members/:node_id/undrain')
  @HttpCode(200)
  @ApiOperation({ operationId: 'undrainClusterMember' })
  @ApiOkResponse({ type: MemberPlanView })
  @ApiErrors(400, 401, 403, 404, 409)
  undrain(
    @UuidParam() id: string,
    @UuidParam('node_id') nodeId: string,
    @Body() body: MemberPlanDto,
    @Ctx() context: CommandContext,
  ): Promise<MemberPlanView> {
    return this.drains.handle('undrain', id, nodeId, body, context);
  }

  /** What the cluster's DNS answers now beside what the panel published. */
  @Get(':id/dns')
  @ApiOperation({ operationId: 'getClusterDns' })
  @ApiOkResponse({ type: ClusterDnsNowView })
  @ApiErrors(401, 403, 404)
  dns(@UuidParam() id: string): Promise<ClusterDnsNowView> {
    return this.dnsNow.read(id);
  }
}
