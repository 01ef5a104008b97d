import * as fc from 'fast-check';
import {
  decidePublish,
  healthOf,
  initialCheckState,
  MemberCheckState,
  planDrainAddresses,
  PublishableMember,
  recordCheck,
} from './member-health';

const thresholds = { unhealthyAfter: 3, healthyAfter: 2 };

function run(state: MemberCheckState, outcomes: boolean[]) {
  const transitions: string[] = [];
  for (const ok of outcomes) {
    const next = recordCheck(state, ok, thresholds);
    state = next.state;
    if (next.transition) transitions.push(next.transition);
  }
  return { state, transitions };
}

describe('recordCheck', () => {
  it('brings a new member up after M good checks, and down after N consecutive failures', () => {
    const up = run(initialCheckState(), [true, true]);
    expect(healthOf(up.state)).toBe('healthy');
    expect(up.transitions).toEqual(['member_up']);
    const down = run(up.state, [false, false, false]);
    expect(healthOf(down.state)).toBe('unhealthy');
    expect(down.transitions).toEqual(['member_down']);
  });

  it('ignores a blip: failures must be consecutive', () => {
    const { state, transitions } = run(initialCheckState(), [
      true,
      true,
      false,
      false,
      true,
      false,
      false,
      true,
    ]);
    expect(healthOf(state)).toBe('healthy');
    expect(transitions).toEqual(['member_up']);
  });

  it('keeps a draining member draining whatever the checks say, while still tracking whether it is up', () => {
    const { state, transitions } = run(initialCheckState(true), [
      true,
      true,
      false,
      false,
      false,
      true,
      true,
    ]);
    expect(healthOf(state)).toBe('draining');
    expect(state.up).toBe(true);
    expect(transitions).toEqual(['member_up', 'member_down', 'member_up']);
  });

  it('emits a transition exactly when up changes, and alternates down/up', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 60 }), (outcomes) => {
        let state = initialCheckState();
        const transitions: string[] = [];
        for (const ok of outcomes) {
          const next = recordCheck(state, ok, thresholds);
          expect(next.transition !== null).toBe(next.state.up !== state.up);
          state = next.state;
          if (next.transition) transitions.push(next.transition);
        }
        transitions.forEach((t, i) => expect(t).toBe(i % 2 === 0 ? 'member_up' : 'member_down'));
      }),
    );
  });
});

const m = (nodeId: string, health: PublishableMember['health'], address: string): PublishableMember => ({
  nodeId,
  health,
  address,
});

describe('decidePublish', () => {
  it('publishes the healthy members only, sorted, when that differs from what was published', () => {
    const members = [
      m('a', 'healthy', '10.0.0.2'),
      m('b', 'unhealthy', '10.0.0.1'),
      m('c', 'draining', '10.0.0.3'),
      m('d', 'healthy', '10.0.0.0'),
    ];
    expect(decidePublish(members, ['10.0.0.1', '10.0.0.2'])).toEqual({
      kind: 'publish',
      addresses: ['10.0.0.0', '10.0.0.2'],
    });
    expect(decidePublish(members, ['10.0.0.2', '10.0.0.0'])).toEqual({ kind: 'unchanged' });
  });

  it('never publishes an empty set: the last one stays', () => {
    expect(
      decidePublish([m('a', 'unhealthy', '10.0.0.1'), m('b', 'draining', '10.0.0.2')], ['10.0.0.1']),
    ).toEqual({
      kind: 'keep_last',
      addresses: ['10.0.0.1'],
    });
  });
});

describe('planDrainAddresses', () => {
  const members = [
    m('a', 'healthy', '10.0.0.1'),
    m('b', 'healthy', '10.0.0.2'),
    m('c', 'unhealthy', '10.0.0.3'),
  ];

  it('leaves the other healthy members in DNS', () => {
    expect(planDrainAddresses(members, 'a')).toEqual({ ok: true, addresses: ['10.0.0.2'] });
  });

  it('refuses draining the last published member, a draining one, and a stranger', () => {
    expect(planDrainAddresses([members[0], members[2]], 'a')).toEqual({
      ok: false,
      reason: 'last_published_member',
    });
    expect(planDrainAddresses([m('a', 'draining', '10.0.0.1'), members[1]], 'a')).toEqual({
      ok: false,
      reason: 'already_draining',
    });
    expect(planDrainAddresses(members, 'z')).toEqual({ ok: false, reason: 'not_a_member' });
    expect(planDrainAddresses([members[2]], 'c')).toEqual({ ok: true, addresses: [] });
  });
});
