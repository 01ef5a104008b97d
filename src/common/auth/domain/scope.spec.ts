import { normalizeScope, scopeProblem } from './scope';

const A = '00000000-0000-4000-8000-00000000000A';
const B = '00000000-0000-4000-8000-00000000000b';

describe('scope validation', () => {
  it('takes the four shapes, exactly one key each', () => {
    expect(scopeProblem({ all: true }, 'scope')).toBeNull();
    expect(scopeProblem({ node_ids: [A] }, 'scope')).toBeNull();
    expect(scopeProblem({ all: false }, 'scope')).toBe('scope.all must be true');
    expect(scopeProblem({ all: true, node_ids: [A] }, 'scope')).toMatch(/^scope must have exactly one key/);
    expect(scopeProblem('all', 'scope')).toMatch(/^scope must be one of/);
    expect(scopeProblem({ nodes: [A] }, 'scope')).toMatch(/^scope must be one of/);
  });

  it('takes a tag selector key=value, and names what is wrong with another', () => {
    expect(scopeProblem({ tag: 'region=eu' }, 'scope')).toBeNull();
    expect(scopeProblem({ tag: 'example.com/tier=' }, 'scope')).toBeNull();
    expect(scopeProblem({ tag: 'region' }, 'scope')).toBe('scope.tag must be key=value, like region=eu');
    expect(scopeProblem({ tag: 'Region=eu' }, 'scope')).toMatch(/^scope\.tag: a key must be/);
    expect(scopeProblem({ tag: 'region=e u' }, 'scope')).toMatch(/^scope\.tag: a value must be/);
    expect(scopeProblem({ tag: 7 }, 'scope')).toMatch(/^scope\.tag must be a tag selector/);
  });

  it('names the field of a bad node list', () => {
    expect(scopeProblem({ node_ids: [] }, 'scope')).toMatch(/^scope\.node_ids must be a list of 1-/);
    expect(scopeProblem({ node_ids: ['web-1'] }, 'scope')).toBe('scope.node_ids must hold node ids (UUIDs)');
  });

  it('stores node ids lower-cased, sorted and once', () => {
    expect(normalizeScope({ node_ids: [B, A, A.toLowerCase()] })).toEqual({
      node_ids: [A.toLowerCase(), B],
    });
  });
});
