import { DEFAULT_WAVES, WavePlanError, orderNodes, planWaves } from './waves';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `n${i + 1}`);

describe('planWaves', () => {
  it('plans one canary, then up to 10 %, 50 % and the rest by default', () => {
    const waves = planWaves(ids(100));
    expect(waves.map((wave) => wave.length)).toEqual([1, 9, 40, 50]);
    expect(waves[0]).toEqual(['n1']);
    expect(waves.flat()).toEqual(ids(100));
    expect(DEFAULT_WAVES).toHaveLength(4);
  });

  it('still moves forward by at least one node a wave on a small fleet, and drops empty waves', () => {
    expect(planWaves(ids(4))).toEqual([['n1'], ['n2'], ['n3'], ['n4']]);
    expect(planWaves(ids(2))).toEqual([['n1'], ['n2']]);
    expect(planWaves(ids(1))).toEqual([['n1']]);
    expect(planWaves([])).toEqual([]);
  });

  it('takes explicit node waves where they are asked for and fills percent waves from the others', () => {
    const waves = planWaves(ids(10), [{ node_ids: ['n7'] }, { percent: 50 }, { percent: 100 }]);
    expect(waves).toEqual([['n7'], ['n1', 'n2', 'n3', 'n4', 'n5'], ['n6', 'n8', 'n9', 'n10']]);
  });

  it('puts the nodes no wave took into a last wave', () => {
    expect(planWaves(ids(5), [{ percent: 20 }, { percent: 40 }])).toEqual([
      ['n1'],
      ['n2'],
      ['n3', 'n4', 'n5'],
    ]);
  });

  it('names the wave of a foreign or repeated node, and a percent out of range', () => {
    const fail = (specs: Parameters<typeof planWaves>[1]): string[] => {
      try {
        planWaves(ids(3), specs);
      } catch (error) {
        if (error instanceof WavePlanError) return [error.field, error.message];
        throw error;
      }
      return [];
    };
    expect(fail([{ node_ids: ['x'] }])).toEqual([
      'waves[0].node_ids',
      "node x is not among the rollout's nodes",
    ]);
    expect(fail([{ node_ids: ['n1'] }, { node_ids: ['n1'] }])).toEqual([
      'waves[1].node_ids',
      'node n1 is in more than one wave',
    ]);
    expect(fail([{ percent: 0 }])).toEqual(['waves[0].percent', 'percent must be above 0 and at most 100']);
    expect(fail([{ percent: 150 }])[0]).toBe('waves[0].percent');
  });
});

describe('orderNodes', () => {
  const node = (id: string, group: string | null) => ({ id, name: id, group });

  it('groups by value in the preferred order, the rest by value, nodes without the value last', () => {
    const nodes = [node('a', 'eu'), node('b', null), node('c', 'us'), node('d', 'ap'), node('e', 'eu')];
    expect(orderNodes(nodes, ['us'])).toEqual(['c', 'd', 'a', 'e', 'b']);
    expect(orderNodes(nodes)).toEqual(['d', 'a', 'e', 'c', 'b']);
  });
});
