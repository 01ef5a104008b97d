import { planRenames } from './bulk-rename';

const key = (n: number) => `${String.fromCharCode(65 + n).repeat(42)}A=`;
const peer = (n: number, name: string) => ({ id: `p${n}`, name, public_key: key(n), version: 1 });

describe('renaming the peers of a node from a names file', () => {
  const peers = [peer(0, '10.0.1.10'), peer(1, '10.0.1.11'), peer(2, 'carol')];

  it('renames the peers whose name changes and lists the keys of no peer', () => {
    const plan = planRenames(peers, { [key(0)]: 'alice', [key(2)]: 'carol', [key(9)]: 'nobody' });
    expect(plan.renames).toEqual([{ peer: peers[0], to: 'alice' }]);
    expect(plan.unknownKeys).toEqual([key(9)]);
    expect(plan.clash).toBeNull();
  });

  it('allows names to swap, and refuses two peers with one name', () => {
    expect(planRenames(peers, { [key(0)]: '10.0.1.11', [key(1)]: '10.0.1.10' }).clash).toBeNull();
    expect(planRenames(peers, { [key(0)]: 'carol' }).clash).toBe(
      `two peers would be named carol: ${key(0)} and ${key(2)}`,
    );
  });
});
