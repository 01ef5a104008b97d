import type { Binding, Principal } from '../principal';
import {
  allows,
  grantsAnywhere,
  grantsFleetWide,
  nodeFilter,
  refusal,
  roleGrants,
  scopeContains,
} from './scope-policy';

const EU = { id: '00000000-0000-4000-8000-000000000001', tags: { region: 'eu' }, cluster_id: null };
const US = {
  id: '00000000-0000-4000-8000-000000000002',
  tags: { region: 'us' },
  cluster_id: '00000000-0000-4000-8000-0000000000c1',
};

const principal = (...bindings: Binding[]): Principal => ({ kind: 'user', id: 'u', name: 'Ada', bindings });

describe('scope policy', () => {
  it('ranks read < write < admin, and self grants nothing but self routes', () => {
    expect(roleGrants('admin', 'write')).toBe(true);
    expect(roleGrants('write', 'admin')).toBe(false);
    expect(roleGrants('read', 'read')).toBe(true);
    expect(roleGrants('self', 'read')).toBe(false);
    expect(roleGrants('self', 'self')).toBe(true);
    expect(roleGrants('read', 'self')).toBe(true);
  });

  it('contains nodes by tag, cluster and id list', () => {
    expect(scopeContains({ all: true }, US)).toBe(true);
    expect(scopeContains({ tag: 'region=eu' }, EU)).toBe(true);
    expect(scopeContains({ tag: 'region=eu' }, US)).toBe(false);
    expect(scopeContains({ tag: 'region=' }, EU)).toBe(false);
    expect(scopeContains({ cluster_id: US.cluster_id }, US)).toBe(true);
    expect(scopeContains({ cluster_id: US.cluster_id }, EU)).toBe(false);
    expect(scopeContains({ node_ids: [EU.id] }, EU)).toBe(true);
    expect(scopeContains({ node_ids: [EU.id] }, US)).toBe(false);
  });

  it('adds bindings up: write on EU and read on all reads everything and writes EU only', () => {
    const ada = principal(
      { role: 'write', scope: { tag: 'region=eu' } },
      { role: 'read', scope: { all: true } },
    );
    expect(allows(ada, 'read', US)).toBe(true);
    expect(allows(ada, 'write', EU)).toBe(true);
    expect(allows(ada, 'write', US)).toBe(false);
    expect(refusal(ada, 'write', US)).toBe('forbidden');
    expect(refusal(ada, 'write', EU)).toBeNull();
    expect(nodeFilter(ada, 'read')).toEqual({ all: true });
    expect(nodeFilter(ada, 'write')).toEqual({ all: false, scopes: [{ tag: 'region=eu' }] });
  });

  it('hides an object no binding covers: 404, like a missing one', () => {
    const eu = principal({ role: 'write', scope: { tag: 'region=eu' } });
    expect(refusal(eu, 'read', US)).toBe('not_found');
    expect(refusal(eu, 'write', US)).toBe('not_found');
    expect(nodeFilter(eu, 'admin')).toEqual({ all: false, scopes: [] });
  });

  it('tells a scoped role from a fleet-wide one', () => {
    const eu = principal(
      { role: 'admin', scope: { tag: 'region=eu' } },
      { role: 'read', scope: { all: true } },
    );
    expect(grantsAnywhere(eu, 'admin')).toBe(true);
    expect(grantsFleetWide(eu, 'admin')).toBe(false);
    expect(grantsFleetWide(eu, 'read')).toBe(true);
    expect(grantsAnywhere(principal({ role: 'self', scope: { all: true } }), 'read')).toBe(false);
    expect(grantsAnywhere(principal(), 'self')).toBe(false);
  });
});
