import { CliError } from './exit-codes';
import { checkPlanTarget, parsePlanFile, PLAN_FILE_FORMAT, PlanFile, planIsEmpty } from './plan-file';

const plan: PlanFile = {
  format: PLAN_FILE_FORMAT,
  panel_url: 'https://panel.example/',
  node_id: 'n1',
  node_name: 'edge-1',
  plan_id: 'plan-1',
  created_at: '2026-01-01T00:00:00.000Z',
  plan: { add: [], update: [], remove: [], interface: [], cannot_restore: [] },
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
    expect(planIsEmpty({ ...plan.plan, interface: [{ field: 'listen_port', expected: 1, actual: 2 }] })).toBe(
      false,
    );
  });
});
