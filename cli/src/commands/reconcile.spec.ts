import { PassThrough } from 'node:stream';
import { Output } from '../output';
import { printPlan } from './reconcile';

function printed(plan: Parameters<typeof printPlan>[1]): string {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  printPlan(new Output(false, false, stdout, new PassThrough()), plan, 'edge-1');
  return text;
}

describe('printPlan', () => {
  const key = Buffer.alloc(32, 7).toString('base64');

  it('lists a peer it cannot restore with the way out, never as an add, and never as "nothing to do"', () => {
    const text = printed({
      add: [],
      update: [],
      remove: [],
      interface: [],
      kept: [],
      cannot_restore: [
        {
          peer_id: '5560d953-8027-47c1-acee-38fabf4af049',
          name: 'branch-3',
          public_key: key,
          operation: 'add',
          reason: 'the panel does not hold its preshared key',
        },
      ],
    });
    expect(text).toContain('edge-1: 0 to add, 0 to update, 0 to remove, 1 it cannot restore');
    expect(text).toMatch(/! cannot restore\s+branch-3/);
    expect(text).toContain('the panel does not hold its preshared key: set a new one');
    expect(text).not.toContain('+ add');
    expect(text).not.toContain('nothing to do');
  });
});
