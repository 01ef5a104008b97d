import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { FleetWide, RequireRole } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/http/api-responses';
import { UuidParam } from '../../common/http/params';
import { BindingList, BindingView } from './binding-view';
import { CreateBindingDto } from './bindings.dto';
import { BindingsService } from './bindings.service';

/** Who may do what, and where: managed by admins of the whole fleet only. */
@ApiTags('access')
@ApiBearerAuth()
@RequireRole('admin')
@FleetWide()
@ApiErrors(401, 403)
@Controller('api/bindings')
export class BindingsController {
  constructor(private readonly bindings: BindingsService) {}

  @Post()
  @ApiOperation({ operationId: 'createBinding' })
  @ApiCreatedResponse({ type: BindingView })
  @ApiErrors(400)
  create(@Body() body: CreateBindingDto): Promise<BindingView> {
    return this.bindings.create(body);
  }

  @Get()
  @ApiOperation({ operationId: 'listBindings' })
  @ApiOkResponse({ type: BindingList })
  async list(): Promise<BindingList> {
    return { items: await this.bindings.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteBinding' })
  @ApiNoContentResponse({ description: 'Deleted: it grants nothing from the next request on' })
  @ApiErrors(400, 404)
  async delete(@UuidParam() id: string): Promise<void> {
    await this.bindings.delete(id);
  }
}
