import {
  ADOPTION_PLAN_FORMAT,
  AdoptionPlanFile,
  namesInPlan,
  namesOutsidePlan,
  parseAdoptionPlanFile,
} from './adoption-file';

const key = (n: number) => `${String.fromCharCode(65 + n).repeat(42)}A=`;

const saved: AdoptionPlanFile = {
  format: ADOPTION_PLAN_FORMAT,
  panel_url: 'https://panel.example',
  node_id: 'n1',
  node_name: 'edge-1',
  plan_id: 'plan-1',
  created_at: '2026-01-01T00:00:00.000Z',
  plan: {
    adopt: [
      {
        public_key: key(0),
        name: 'alice',
        allowed_ips: ['10.0.1.7/32'],
        routed_ips: [],
        endpoint: null,
        persistent_keepalive: 0,
        has_preshared_key: false,
      },
      {
        public_key: key(1),
        allowed_ips: ['10.0.1.1/32'],
        routed_ips: [],
        endpoint: null,
        persistent_keepalive: 0,
        has_preshared_key: false,
        conflict: 'the node itself',
      },
    ],
  },
};

describe('adoption plan files', () => {
  it('round-trip through JSON and are not reconcile plans', () => {
    expect(parseAdoptionPlanFile(JSON.stringify(saved), 'adopt.json')).toEqual(saved);
    expect(() =>
      parseAdoptionPlanFile(JSON.stringify({ ...saved, format: 'wgfleet-plan/v1' }), 'plan.json'),
    ).toThrow(/not a wgfleet adopt plan \(format wgfleet-adoption-plan\/v1\); make one with wgfleet adopt/);
  });

  it('carry the names of the peers they adopt, and tell which names fit none of them', () => {
    expect(namesInPlan(saved.plan)).toEqual({ [key(0)]: 'alice' });
    expect(namesOutsidePlan({ [key(0)]: 'a', [key(1)]: 'b', [key(2)]: 'c' }, saved.plan)).toEqual([
      key(1),
      key(2),
    ]);
  });
});
