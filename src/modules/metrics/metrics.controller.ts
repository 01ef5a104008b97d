import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiContentResponse, ApiErrors } from '../../common/http/api-responses';
import { Public } from '../../common/auth/auth.decorators';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DriftMetrics } from './drift-metrics.service';
import { MetricsRegistry } from '../../common/metrics/metrics-registry';
import { QueueMetrics } from './queue-metrics.service';
import { SharedRefresh } from './shared-refresh';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  /** The gauges read the database and Redis: scrapes close together share one reading. */
  private readonly gauges: SharedRefresh;

  constructor(
    private readonly registry: MetricsRegistry,
    drift: DriftMetrics,
    queues: QueueMetrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.gauges = new SharedRefresh(async () => {
      await Promise.all([drift.refresh(), queues.refresh()]);
    }, config.metricsCacheS * 1000);
  }

  @Get()
  @Public((config) => config.metricsPublic)
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus metrics (a token of any role; none with METRICS_PUBLIC=true)',
  })
  @ApiContentResponse(200, 'Prometheus text exposition format', { 'text/plain': 'text' })
  @ApiErrors(401)
  async metrics(): Promise<string> {
    await this.gauges.run();
    return this.registry.metrics();
  }
}
