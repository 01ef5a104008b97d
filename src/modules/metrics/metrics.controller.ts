import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'Prometheus metrics (no authentication)' })
  @ApiProduces('text/plain')
  async metrics(): Promise<string> {
    await Promise.all([this.drift.refresh(), this.queues.refresh()]);
    return this.registry.metrics();
  }
}
