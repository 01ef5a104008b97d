import { MikroORM } from '@mikro-orm/postgresql';
import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  MikroOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '../../common/auth/auth.decorators';
import { RedisConnection } from '../../common/redis/redis.module';

/** Readiness: answers 503 while PostgreSQL or Redis is out of reach, so a load balancer routes around it. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: MikroOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisConnection,
    private readonly orm: MikroORM,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({
    operationId: 'getHealth',
    summary: 'Readiness: 503 while PostgreSQL or Redis is out of reach',
  })
  check() {
    return this.health.check([
      () => this.database.pingCheck('postgresql', { connection: this.orm, timeout: 2000 }),
      async () => {
        const indicator = this.indicators.check('redis');
        try {
          await Promise.race([
            this.redis.client.ping(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000)),
          ]);
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
    ]);
  }
}
