import { Body, Controller, Delete, Get, Headers, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext, Ctx } from '../../common/auth/auth.decorators';
import { UuidParam } from '../../common/http/params';
import { expectedVersion } from '../../common/http/versioning';
import { VersionQuery, ListQuery, RegisterNodeDto, UpdateNodeDto } from './nodes.dto';
import { NodesService } from './nodes.service';

@ApiTags('nodes')
@ApiBearerAuth()
@Controller('api/nodes')
export class NodesController {
  constructor(private readonly nodes: NodesService) {}

  @Post()
  register(@Body() body: RegisterNodeDto, @Ctx() context: CommandContext) {
    return this.nodes.register(body, context);
  }

  @Get()
  list(@Query() query: ListQuery) {
    return this.nodes.list(query);
  }

  @Get(':id')
  get(@UuidParam() id: string) {
    return this.nodes.get(id);
  }

  @Get(':id/settings')
  @ApiOperation({
    summary: "Each setting the node's peers inherit: effective value and source (node or default)",
  })
  settings(@UuidParam() id: string) {
    return this.nodes.settings(id);
  }

  @Patch(':id')
  update(
    @UuidParam() id: string,
    @Body() body: UpdateNodeDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() context: CommandContext,
  ) {
    const { version, ...changes } = body;
    return this.nodes.update(id, changes, expectedVersion(version, ifMatch), context);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(
    @UuidParam() id: string,
    @Query() query: VersionQuery,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() context: CommandContext,
  ): Promise<void> {
    await this.nodes.delete(id, expectedVersion(query.version, ifMatch), context);
  }
}
