/** A cluster member's health as the API shows it (docs/API.md, Clusters). */
export type MemberHealth = 'healthy' | 'unhealthy' | 'draining';

export interface HealthThresholds {
  /** Consecutive failed checks before a healthy member is unhealthy. */
  unhealthyAfter: number;
  /** Consecutive good checks before an unhealthy member is healthy again. */
  healthyAfter: number;
}

/**
 * What the checker remembers of a member between checks. `up` is what the checks say; `draining` is the operator's
 * and sticky: a draining member is still checked (so undrain knows whether it can go straight back into DNS) but
 * shows `draining` whatever the checks say.
 */
export interface MemberCheckState {
  up: boolean;
  draining: boolean;
  failures: number;
  successes: number;
}

export type HealthTransition = 'member_down' | 'member_up' | null;

export function healthOf(state: MemberCheckState): MemberHealth {
  if (state.draining) return 'draining';
  return state.up ? 'healthy' : 'unhealthy';
}

/** A member nobody has checked yet: not up until it passes `healthyAfter` checks, so DNS never gets it unproven. */
export function initialCheckState(draining = false): MemberCheckState {
  return { up: false, draining, failures: 0, successes: 0 };
}

/**
 * One check's outcome folded into the state: N consecutive failures take a member down, M consecutive
 * successes bring it up; a single blip in either direction resets the other count and changes nothing.
 */
export function recordCheck(
  state: MemberCheckState,
  ok: boolean,
  { unhealthyAfter, healthyAfter }: HealthThresholds,
): { state: MemberCheckState; transition: HealthTransition } {
  if (ok) {
    const successes = state.successes + 1;
    const up = state.up || successes >= healthyAfter;
    return {
      state: { ...state, up, failures: 0, successes },
      transition: up && !state.up ? 'member_up' : null,
    };
  }
  const failures = state.failures + 1;
  const up = state.up && failures < unhealthyAfter;
  return {
    state: { ...state, up, failures, successes: 0 },
    transition: state.up && !up ? 'member_down' : null,
  };
}

export interface PublishableMember {
  nodeId: string;
  health: MemberHealth;
  /** The member's public address (an IP literal) that clients reach it on. */
  address: string;
}

export type PublishDecision =
  | { kind: 'publish'; addresses: string[] }
  | { kind: 'unchanged' }
  /** No member is publishable: the last published set stays in DNS and an alert is raised. */
  | { kind: 'keep_last'; addresses: string[] };

/**
 * The address set DNS should hold: the healthy members' addresses, sorted and unique. Never an empty set: with no
 * healthy member the last published set stays (a member that may come back beats a name that resolves to
 * nothing), and the caller alerts.
 */
export function decidePublish(
  members: readonly PublishableMember[],
  lastPublished: readonly string[],
): PublishDecision {
  const addresses = [...new Set(members.filter((m) => m.health === 'healthy').map((m) => m.address))].sort();
  const last = [...lastPublished].sort();
  if (addresses.length === 0) return { kind: 'keep_last', addresses: last };
  if (addresses.length === last.length && addresses.every((a, i) => a === last[i]))
    return { kind: 'unchanged' };
  return { kind: 'publish', addresses };
}

export type DrainRefusal = 'not_a_member' | 'already_draining' | 'last_published_member';

/**
 * The address set left in DNS once `nodeId` is drained, or why it may not be: draining the only healthy member
 * would leave clients nowhere (the empty set is never published). An empty set here means DNS keeps its last one.
 */
export function planDrainAddresses(
  members: readonly PublishableMember[],
  nodeId: string,
): { ok: true; addresses: string[] } | { ok: false; reason: DrainRefusal } {
  const member = members.find((m) => m.nodeId === nodeId);
  if (!member) return { ok: false, reason: 'not_a_member' };
  if (member.health === 'draining') return { ok: false, reason: 'already_draining' };
  const remaining = members
    .filter((m) => m.nodeId !== nodeId && m.health === 'healthy')
    .map((m) => m.address);
  // An unhealthy member is out of DNS already: draining it (for maintenance) takes nothing away.
  if (remaining.length === 0 && member.health === 'healthy') {
    return { ok: false, reason: 'last_published_member' };
  }
  return { ok: true, addresses: [...new Set(remaining)].sort() };
}
