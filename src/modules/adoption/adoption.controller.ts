import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-responses';
import { AdoptionDryRunView, AdoptionResultView } from './adoption-view';
import { CommandContext, Ctx, InScope } from '../../common/auth/auth.decorators';
import { UuidParam } from '../../common/http/params';
import { NODE_SCOPE_TARGET } from '../../common/auth/scope-targets';
import { AdoptPeersDto } from './adoption.dto';
import { AdoptionService } from './adoption.service';

@ApiTags('nodes')
@ApiBearerAuth()
@Controller('api/nodes')
export class AdoptionController {
  constructor(private readonly adoption: AdoptionService) {}

  /** A dry run answers the plan; otherwise the adopted peers and those skipped, with why. */
  @Post(':id/adopt')
  @HttpCode(200)
  @InScope('node', NODE_SCOPE_TARGET)
  @ApiOperation({ operationId: 'adoptPeers' })
  @ApiExtraModels(AdoptionDryRunView, AdoptionResultView)
  @ApiOkResponse({
    description: 'A dry run answers the plan; applying answers the adopted and skipped peers',
    schema: {
      oneOf: [{ $ref: getSchemaPath(AdoptionDryRunView) }, { $ref: getSchemaPath(AdoptionResultView) }],
    },
  })
  @ApiErrors(400, 401, 403, 404, 409, 502)
  adopt(@UuidParam() id: string, @Body() body: AdoptPeersDto, @Ctx() context: CommandContext) {
    return this.adoption.adopt(id, body, context);
  }
}
