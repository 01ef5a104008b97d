import { InvalidArgumentError } from 'commander';
import { formatScope, parseScope, partialScope, resolveScope } from './scopes';

describe('--scope', () => {
  it('reads all, a tag, listed nodes and a cluster', () => {
    expect(parseScope('all')).toEqual({ all: true });
    expect(parseScope('tag=region=eu')).toEqual({ tag: 'region=eu' });
    expect(parseScope('node=web-1, web-2')).toEqual({ nodes: ['web-1', 'web-2'] });
    expect(parseScope('cluster=edge')).toEqual({ cluster: 'edge' });
    for (const bad of ['', 'everything', 'tag=', 'region=eu', 'node']) {
      expect(() => parseScope(bad)).toThrow(InvalidArgumentError);
    }
  });

  it('looks node and cluster names up', async () => {
    const known: Record<string, string> = { 'web-1': 'id-1', 'web-2': 'id-2', edge: 'id-c' };
    const ids = { node: async (ref: string) => known[ref], cluster: async (ref: string) => known[ref] };
    expect(await resolveScope({ nodes: ['web-1', 'web-2'] }, ids)).toEqual({ node_ids: ['id-1', 'id-2'] });
    expect(await resolveScope({ tag: 'region=eu' }, ids)).toEqual({ tag: 'region=eu' });
    expect(await resolveScope({ cluster: 'edge' }, ids)).toEqual({ cluster_id: 'id-c' });
  });

  it('shows a scope in a cell', () => {
    expect(formatScope({ all: true })).toBe('all');
    expect(formatScope({ tag: 'region=eu' })).toBe('tag region=eu');
    expect(formatScope({ node_ids: ['a', 'b'] })).toBe('nodes a,b');
  });
});

describe('a fleet command under a scope', () => {
  const me = (
    ...bindings: { role: 'read' | 'write' | 'admin' | 'self'; scope: { all: true } | { tag: string } }[]
  ) => ({
    kind: 'token' as const,
    id: 't',
    name: 't',
    bindings,
  });

  it('says it is limited unless the role covers the whole fleet', () => {
    expect(partialScope(me({ role: 'admin', scope: { all: true } }), 'write')).toBeNull();
    expect(partialScope(me({ role: 'read', scope: { all: true } }), 'write')).toBe(
      'limited to your scope (write on no node): nodes outside it are neither read nor changed',
    );
    expect(
      partialScope(
        me({ role: 'write', scope: { tag: 'region=eu' } }, { role: 'read', scope: { all: true } }),
        'write',
      ),
    ).toBe('limited to your scope (write on tag region=eu): nodes outside it are neither read nor changed');
    expect(
      partialScope(
        me({ role: 'write', scope: { tag: 'region=eu' } }, { role: 'read', scope: { all: true } }),
        'read',
      ),
    ).toBeNull();
  });
});
