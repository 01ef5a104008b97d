import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CommandContext, Ctx } from '../../common/auth/auth.decorators';
import { UuidParam } from '../../common/http/params';
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
  adopt(@UuidParam() id: string, @Body() body: AdoptPeersDto, @Ctx() context: CommandContext) {
    return this.adoption.adopt(id, body, context);
  }
}
