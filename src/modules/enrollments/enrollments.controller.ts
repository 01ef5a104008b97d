import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
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
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestLimits } from '../../common/auth/request-limits';
import { CommandContext, Ctx, FleetWide, Public } from '../../common/auth/auth.decorators';
import { UuidParam } from '../../common/http/params';
import { ClaimEnrollmentDto, CreateEnrollmentDto } from './enrollments.dto';
import { EnrollmentGoneError, EnrollmentsService } from './enrollments.service';

@ApiTags('enrollments')
// An enrollment makes a node that is in no scope yet; the claim is public and skips this.
@FleetWide()
@Controller('api/enrollments')
export class EnrollmentsController {
  constructor(
    private readonly enrollments: EnrollmentsService,
    private readonly limits: RequestLimits,
  ) {}

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

  /**
   * Called by `wgfleet-agent enroll` on the node; the enrollment token is its authentication, so a refused token
   * counts against the client address like a wrong API token.
   */
  @Post('claim')
  @Public()
  @ApiOperation({ operationId: 'claimEnrollment' })
  @ApiCreatedResponse({ type: NodeView })
  @ApiErrors(400, 409, 410, 429, 502)
  async claim(
    @Body() body: ClaimEnrollmentDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<NodeView> {
    try {
      return await this.enrollments.claim(body, request.id ?? null);
    } catch (error) {
      if (error instanceof EnrollmentGoneError) await this.limits.recordAuthFailure(request, reply);
      throw error;
    }
  }
}
