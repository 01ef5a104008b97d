import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FleetWide, RequireRole } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/http/api-responses';
import { UserList, toUserView } from './user-view';
import { UsersService } from './users.service';

/** The people who signed in, for admins binding roles to them. */
@ApiTags('access')
@ApiBearerAuth()
@RequireRole('admin')
@FleetWide()
@ApiErrors(401, 403)
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ operationId: 'listUsers' })
  @ApiOkResponse({ type: UserList })
  async list(): Promise<UserList> {
    return { items: (await this.users.list()).map(toUserView) };
  }
}
