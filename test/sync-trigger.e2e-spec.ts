import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { RedisConnection } from '../src/common/redis/redis.module';
import { NODE_JOBS_QUEUE } from '../src/modules/node-jobs/node-jobs';
import { EntityManager } from '@mikro-orm/postgresql';
import { SyncStore } from '../src/modules/sync/sync.store';
import { SyncTrigger } from '../src/modules/sync/sync-trigger.service';
import { nodeBody } from './resilience/support/fleet';
import { TestPanel, startPanel } from './support/panel';

/**
 * A sync job that is running may already have looked for changes made during its run and be about to finish:
 * a change marked then must not wait for the periodic sweep. Here the job's running state is set up in Redis
 * directly, as BullMQ keeps it, so the moment between its last look and its end is held still.
 */
describe('sync trigger: a change while the node sync job runs', () => {
  let panel: TestPanel;
  let queue: Queue;
  let trigger: SyncTrigger;
  let redis: RedisConnection;

  beforeAll(async () => {
    panel = await startPanel({ APPLY_DEBOUNCE_MS: '60000' });
    queue = panel.app.get<Queue>(getQueueToken(NODE_JOBS_QUEUE));
    trigger = panel.app.get(SyncTrigger);
    redis = panel.app.get(RedisConnection);
  });

  afterAll(async () => {
    await panel.close();
  });

  it('queues a follow-up job behind a running one, and adds nothing behind a waiting one', async () => {
    const running = randomUUID();
    const jobId = `sync-${running}`;
    await redis.client.hset(queue.toKey(jobId), 'name', 'sync', 'data', JSON.stringify({ nodeId: running }));
    await redis.client.lpush(queue.toKey('active'), jobId);
    try {
      await trigger.changed(running);
      expect(await queue.getJob(`sync-${running}-next`)).toBeDefined();
    } finally {
      await redis.client.lrem(queue.toKey('active'), 0, jobId);
      await redis.client.del(queue.toKey(jobId));
    }

    const idle = randomUUID();
    await trigger.changed(idle);
    expect(await queue.getJob(`sync-${idle}`)).toBeDefined();
    await trigger.changed(idle);
    expect(await queue.getJob(`sync-${idle}-next`)).toBeUndefined();
  });

  it('finds, for the sweep, the nodes whose changes have not reached them', async () => {
    // Its agent never answers, so its new peer stays pending: the sweep must name the node (by its id).
    const { body: node } = await panel.as().post('/api/nodes', nodeBody()).expect(201);
    await panel.as().post(`/api/nodes/${node.id}/peers`, { name: 'pending' }).expect(201);
    const pending = await panel.app.get(SyncStore).nodesWithPendingWork(panel.app.get(EntityManager).fork());
    expect(pending).toContain(node.id);
    expect(pending.every((id) => typeof id === 'string')).toBe(true);
  });
});
