import { Body, Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
  create(@Body() body: CreateEnrollmentDto, @Ctx() context: CommandContext) {
    return this.enrollments.create(body, context);
  }

  @Get()
  @ApiBearerAuth()
  list() {
    return this.enrollments.list();
  }

  @Delete(':id')
  @ApiBearerAuth()
  @HttpCode(204)
  async revoke(@UuidParam() id: string): Promise<void> {
    await this.enrollments.revoke(id);
  }

  /** Called by `wgfleet-agent enroll` on the node; the enrollment token is its authentication. */
  @Post('claim')
  @Public()
  claim(@Body() body: ClaimEnrollmentDto, @Req() request: FastifyRequest) {
    return this.enrollments.claim(body, request.id ?? null);
  }
}
