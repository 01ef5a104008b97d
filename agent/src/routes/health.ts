import type { HealthResponse } from '@wgfleet/protocol';
import type { FastifyInstance } from 'fastify';

/** GET /health: open, for load balancers and the panel's liveness check; says nothing about interfaces. */
export function registerHealthRoute(app: FastifyInstance, version: string): void {
  app.get('/health', async (): Promise<HealthResponse> => ({
    status: 'ok',
    version,
    uptime_s: Math.floor(process.uptime()),
  }));
}
