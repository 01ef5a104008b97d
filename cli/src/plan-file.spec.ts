import { CliError } from './exit-codes';
import {
  checkPlanTarget,
  keptNote,
  parsePlanFile,
  PLAN_FILE_FORMAT,
  PlanFile,
  planIsEmpty,
} from './plan-file';

const plan: PlanFile = {
  format: PLAN_FILE_FORMAT,
  panel_url: 'https://panel.example/',
  node_id: 'n1',
  node_name: 'edge-1',
  plan_id: 'plan-1',
  created_at: '2026-01-01T00:00:00.000Z',
  plan: { add: [], update: [], remove: [], interface: [], kept: [], cannot_restore: [] },
};

describe('plan files', () => {
  it('round-trip through JSON', () => {
    expect(parsePlanFile(JSON.stringify(plan), 'plan.json')).toEqual(plan);
  });

  it('refuses what is not a plan, saying how to make one', () => {
    expect(() => parsePlanFile('{', 'x.json')).toThrow(/wgfleet plan <node> -o x.json/);
    expect(() => parsePlanFile('{"format":"other"}', 'x.json')).toThrow(/not a wgfleet plan/);
    expect(() => parsePlanFile(JSON.stringify({ ...plan, plan_id: '' }), 'x.json')).toThrow(
      /plan_id is missing/,
    );
  });

  it('belong to one node on one panel', () => {
    expect(() => checkPlanTarget(plan, 'n1', 'edge-1', 'https://panel.example')).not.toThrow();
    expect(() => checkPlanTarget(plan, 'n2', 'edge-2', 'https://panel.example')).toThrow(CliError);
    expect(() => checkPlanTarget(plan, 'n1', 'edge-1', 'https://other.example')).toThrow(/other.example/);
  });

  it('know when they change nothing', () => {
    expect(planIsEmpty(plan.plan)).toBe(true);
    const listenPort = { field: 'listen_port' as const, expected: 1, actual: 2, from: 2, to: 1 };
    expect(planIsEmpty({ ...plan.plan, interface: [listenPort] })).toBe(false);
  });

  it('name the peers a plan keeps and how to stop keeping them, and count them out of the plan size', () => {
    const peer = (reason: 'unknown' | 'orphaned', n: number) => ({
      public_key: `key-${reason}-${n}`,
      peer_id: null,
      name: null,
      reason,
    });
    const keeping = (...kept: ReturnType<typeof peer>[]) => ({ ...plan.plan, kept });

    expect(keptNote(plan.plan)).toBeNull();
    expect(keptNote(keeping(peer('unknown', 1)))).toBe('1 unknown peer kept: adopt it or --remove-unknown');
    expect(planIsEmpty(keeping(peer('unknown', 1)))).toBe(true);
    expect(keptNote(keeping(peer('unknown', 1), peer('unknown', 2), peer('orphaned', 3)))).toBe(
      '2 unknown peers kept: adopt them or --remove-unknown; ' +
        '1 orphaned peer kept: plan without --keep-orphaned to remove it',
    );
  });
});
