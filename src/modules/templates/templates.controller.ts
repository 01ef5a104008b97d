import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseIntPipe,
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
import { CommandContext, Ctx, FleetWide } from '../../common/auth/auth.decorators';
import { badRequest } from '../../common/http/api-error';
import { ApiErrors, Page, PageOf } from '../../common/http/api-responses';
import { UuidParam } from '../../common/http/params';
import { ListQuery, VersionQuery } from '../../common/http/queries';
import { expectedVersion } from '../../common/http/versioning';
import { TemplateVersionView, TemplateView } from './template-view';
import { CreateTemplateDto, UpdateTemplateDto } from './templates.dto';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@ApiBearerAuth()
@ApiErrors(401)
// Nodes anywhere may follow a template: it needs its role on the whole fleet (docs/SECURITY.md, Roles and scopes).
@FleetWide()
@Controller('api/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post()
  @ApiOperation({ operationId: 'createTemplate' })
  @ApiCreatedResponse({ type: TemplateView })
  @ApiErrors(400, 403, 409)
  create(@Body() body: CreateTemplateDto, @Ctx() context: CommandContext): Promise<TemplateView> {
    return this.templates.create(body, context);
  }

  @Get()
  @ApiOperation({ operationId: 'listTemplates' })
  @ApiOkResponse({ type: PageOf(TemplateView) })
  @ApiErrors(400)
  list(@Query() query: ListQuery): Promise<Page<TemplateView>> {
    return this.templates.list(query);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getTemplate' })
  @ApiOkResponse({ type: TemplateView })
  @ApiErrors(400, 404)
  get(@UuidParam() id: string): Promise<TemplateView> {
    return this.templates.get(id);
  }

  @Get(':id/versions/:version')
  @ApiOperation({ operationId: 'getTemplateVersion', summary: 'The settings of any version of the template' })
  @ApiOkResponse({ type: TemplateVersionView })
  @ApiErrors(400, 404)
  version(
    @UuidParam() id: string,
    @Param(
      'version',
      new ParseIntPipe({ exceptionFactory: () => badRequest('version', 'version must be an integer') }),
    )
    version: number,
  ): Promise<TemplateVersionView> {
    return this.templates.version(id, version);
  }

  @Patch(':id')
  @ApiOperation({
    operationId: 'updateTemplate',
    summary: 'Stores the next version; nodes keep the version they pinned until pinned again',
  })
  @ApiOkResponse({ type: TemplateView })
  @ApiErrors(400, 403, 404, 409)
  update(
    @UuidParam() id: string,
    @Body() body: UpdateTemplateDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() context: CommandContext,
  ): Promise<TemplateView> {
    const { version, ...changes } = body;
    return this.templates.update(id, changes, expectedVersion(version, ifMatch), context);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteTemplate', summary: 'Refused (409) while a node follows the template' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 403, 404, 409)
  async delete(
    @UuidParam() id: string,
    @Query() query: VersionQuery,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() context: CommandContext,
  ): Promise<void> {
    await this.templates.delete(id, expectedVersion(query.version, ifMatch), context);
  }
}
