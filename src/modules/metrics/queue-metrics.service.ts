import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from '../../common/metrics/metrics-registry';

const STATES = ['waiting', 'active', 'delayed'] as const;

/** Jobs per BullMQ queue and state, asked of Redis at scrape time, for every queue any module registered. */
@Injectable()
export class QueueMetrics implements OnApplicationBootstrap {
  private readonly jobs: Gauge<'queue' | 'state'>;
  private queues: Queue[] = [];

  constructor(
    registry: MetricsRegistry,
    private readonly discovery: DiscoveryService,
  ) {
    this.jobs = new Gauge({
      name: 'wgfleet_queue_jobs',
      help: 'Jobs in each BullMQ queue by state (waiting, active, delayed).',
      labelNames: ['queue', 'state'],
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    const byName = new Map<string, Queue>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance instanceof Queue && !byName.has(instance.name)) byName.set(instance.name, instance);
    }
    this.queues = [...byName.values()];
  }

  async refresh(): Promise<void> {
    const counts = await Promise.all(this.queues.map((queue) => queue.getJobCounts(...STATES)));
    this.jobs.reset();
    this.queues.forEach((queue, index) => {
      for (const state of STATES) this.jobs.set({ queue: queue.name, state }, counts[index][state] ?? 0);
    });
  }
}
