import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiContentResponse } from '../../common/http/api-responses';
import { Public } from '../../common/auth/auth.decorators';
import { DriftMetrics } from './drift-metrics.service';
import { MetricsRegistry } from './metrics-registry';
import { QueueMetrics } from './queue-metrics.service';

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly registry: MetricsRegistry,
    private readonly drift: DriftMetrics,
    private readonly queues: QueueMetrics,
  ) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ operationId: 'getMetrics', summary: 'Prometheus metrics (no authentication)' })
  @ApiContentResponse(200, 'Prometheus text exposition format', { 'text/plain': 'text' })
  async metrics(): Promise<string> {
    await Promise.all([this.drift.refresh(), this.queues.refresh()]);
    return this.registry.metrics();
  }
}
