import { Reactions } from '../../common/reactions';
import { DESIRED_STATE_CHANGED, DesiredStateChanges } from './desired-state-changes';

describe('DesiredStateChanges', () => {
  it('coalesces a burst for one node into one extra notification after the one in flight', async () => {
    const reactions = new Reactions();
    const changes = new DesiredStateChanges(reactions);
    const seen: string[] = [];
    let release: () => void = () => undefined;
    reactions.on(DESIRED_STATE_CHANGED, 'test', async (nodeId) => {
      seen.push(nodeId);
      if (seen.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = changes.changed('a');
    const burst = [changes.changed('a'), changes.changed('a'), changes.changed('a')];
    const other = changes.changed('b');
    release();
    await Promise.all([first, ...burst, other]);
    expect(seen.filter((id) => id === 'a')).toHaveLength(2);
    expect(seen.filter((id) => id === 'b')).toHaveLength(1);
  });

  it('never lets a failing listener fail the command', async () => {
    const reactions = new Reactions();
    const changes = new DesiredStateChanges(reactions);
    reactions.on(DESIRED_STATE_CHANGED, 'test', async () => {
      throw new Error('redis down');
    });
    await expect(changes.changed('a')).resolves.toBeUndefined();
  });
});
