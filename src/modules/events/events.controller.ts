import { Controller, Get, Query } from '@nestjs/common';
import { FleetWide } from '../../common/auth/auth.decorators';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Page, PageOf } from '../../common/http/api-responses';
import { EventView } from './event-view';
import { ListEventsQuery } from './events.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiBearerAuth()
// Events name every aggregate (nodes, peers, plans, enrollments): only a reader of the whole fleet sees them.
@FleetWide()
@Controller('api/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiOperation({ operationId: 'listEvents' })
  @ApiOkResponse({ type: PageOf(EventView) })
  @ApiErrors(400, 401, 403)
  list(@Query() query: ListEventsQuery): Promise<Page<EventView>> {
    return this.events.list(query);
  }
}
