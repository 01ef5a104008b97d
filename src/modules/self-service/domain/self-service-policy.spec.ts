import type { Principal } from '../../../common/auth/principal';
import { deviceLimitRefusal, mayCreateOwnOn, ownDeviceNodes } from './self-service-policy';

const node = (id: string, tags: Record<string, string> = {}) => ({ id, tags, cluster_id: null });
const user = (bindings: Principal['bindings']): Principal => ({
  kind: 'user',
  id: 'u1',
  name: 'ada',
  bindings,
});

describe('mayCreateOwnOn', () => {
  it('allows the nodes a self binding covers, and only those', () => {
    const ada = user([{ role: 'self', scope: { node_ids: ['n1'] } }]);
    expect(mayCreateOwnOn(ada, node('n1'))).toBe(true);
    expect(mayCreateOwnOn(ada, node('n2'))).toBe(false);
  });

  it('counts no other role, however wide', () => {
    expect(mayCreateOwnOn(user([{ role: 'admin', scope: { all: true } }]), node('n1'))).toBe(false);
  });

  it('gives a token nothing: a token owns no devices', () => {
    const token: Principal = {
      kind: 'token',
      id: 't',
      name: 'ci',
      bindings: [{ role: 'self', scope: { all: true } }],
    };
    expect(mayCreateOwnOn(token, node('n1'))).toBe(false);
  });
});

describe('ownDeviceNodes', () => {
  it("filters by the self bindings' scopes only", () => {
    const ada = user([
      { role: 'self', scope: { tag: 'site=office' } },
      { role: 'read', scope: { all: true } },
    ]);
    expect(ownDeviceNodes(ada)).toEqual({ all: false, scopes: [{ tag: 'site=office' }] });
    expect(ownDeviceNodes(user([{ role: 'self', scope: { all: true } }]))).toEqual({ all: true });
    expect(ownDeviceNodes(user([{ role: 'write', scope: { all: true } }]))).toBeNull();
  });
});

describe('deviceLimitRefusal', () => {
  it('allows up to the limit and refuses the one after, saying how many', () => {
    expect(deviceLimitRefusal(0, 3)).toBeNull();
    expect(deviceLimitRefusal(2, 3)).toBeNull();
    expect(deviceLimitRefusal(3, 3)).toMatch(/3 devices.*most one user may have is 3/);
    expect(deviceLimitRefusal(5, 3)).not.toBeNull();
  });

  it('says self-service is off when the limit is 0', () => {
    expect(deviceLimitRefusal(0, 0)).toMatch(/turned off/);
  });
});
