import { Body, Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-responses';
import { NodeView } from '../nodes';
import { CreatedEnrollmentView, EnrollmentList } from './enrollment-view';
import type { FastifyRequest } from 'fastify';
import { CommandContext, Ctx, Public } from '../../common/auth/auth.decorators';
import { UuidParam } from '../../common/http/params';
import { ClaimEnrollmentDto, CreateEnrollmentDto } from './enrollments.dto';
import { EnrollmentsService } from './enrollments.service';

@ApiTags('enrollments')
@Controller('api/enrollments')
export class EnrollmentsController {
  constructor(private readonly enrollments: EnrollmentsService) {}

  /** The token is in this answer only. */
  @Post()
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'createEnrollment' })
  @ApiCreatedResponse({ type: CreatedEnrollmentView })
  @ApiErrors(400, 401, 403, 409)
  create(@Body() body: CreateEnrollmentDto, @Ctx() context: CommandContext) {
    return this.enrollments.create(body, context);
  }

  @Get()
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'listEnrollments' })
  @ApiOkResponse({ type: EnrollmentList })
  @ApiErrors(401, 403)
  list() {
    return this.enrollments.list();
  }

  @Delete(':id')
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'revokeEnrollment' })
  @ApiNoContentResponse({ description: 'Revoked: the token no longer works' })
  @ApiErrors(400, 401, 403, 404)
  @HttpCode(204)
  async revoke(@UuidParam() id: string): Promise<void> {
    await this.enrollments.revoke(id);
  }

  /** Called by `wgfleet-agent enroll` on the node; the enrollment token is its authentication. */
  @Post('claim')
  @Public()
  @ApiOperation({ operationId: 'claimEnrollment' })
  @ApiCreatedResponse({ type: NodeView })
  @ApiErrors(400, 409, 410, 502)
  claim(@Body() body: ClaimEnrollmentDto, @Req() request: FastifyRequest) {
    return this.enrollments.claim(body, request.id ?? null);
  }
}
