import { decideAlert, type AlertType, type NodeAlertState, type ScanOutcome } from './alert-transitions';

const START = Date.parse('2025-03-01T00:00:00.000Z');
const HOLD_S = 600;

const inSync: ScanOutcome = { status: 'in_sync', fingerprint: null };
const unknown: ScanOutcome = { status: 'unknown', fingerprint: null };
const drift = (fingerprint: string): ScanOutcome => ({ status: 'drift', fingerprint });
const notReady: ScanOutcome = { status: 'unknown', fingerprint: null, interface_not_ready: true };

/** Feeds scans taken `everyS` seconds apart through decideAlert; returns the alerts sent, with scan index. */
function run(scans: ScanOutcome[], { everyS = 60, holdS = 0, state = null as NodeAlertState | null } = {}) {
  const alerts: { at: number; alert: AlertType }[] = [];
  scans.forEach((scan, index) => {
    const decision = decideAlert(state, scan, new Date(START + index * everyS * 1000), holdS);
    state = decision.next;
    if (decision.alert) alerts.push({ at: index, alert: decision.alert });
  });
  return { alerts, state: state as NodeAlertState | null };
}

const alertsOf = (scans: ScanOutcome[], options?: Parameters<typeof run>[1]) =>
  run(scans, options).alerts.map(({ alert }) => alert);

describe('decideAlert transitions', () => {
  it('alerts drift found on the first scan, and nothing for a first scan in sync', () => {
    expect(alertsOf([drift('f1')])).toEqual(['drift.detected']);
    expect(alertsOf([inSync])).toEqual([]);
  });

  it('alerts each change of drift state once, not every scan', () => {
    expect(
      alertsOf([inSync, inSync, drift('f1'), drift('f1'), drift('f2'), drift('f2'), inSync, inSync]),
    ).toEqual(['drift.detected', 'drift.changed', 'drift.resolved']);
  });

  it('alerts an unreachable node once and its recovery into the same state', () => {
    expect(alertsOf([inSync, unknown, unknown, inSync])).toEqual(['node.unreachable', 'node.recovered']);
    expect(alertsOf([drift('f1'), unknown, drift('f1')])).toEqual([
      'drift.detected',
      'node.unreachable',
      'node.recovered',
    ]);
  });

  it('gives an interface that is not ready one scan to get its key before node.unreachable', () => {
    expect(alertsOf([inSync, notReady, inSync])).toEqual([]);
    expect(alertsOf([inSync, notReady, notReady, inSync])).toEqual(['node.unreachable', 'node.recovered']);
    expect(alertsOf([inSync, unknown, notReady])).toEqual(['node.unreachable']);
    expect(alertsOf([drift('f1'), notReady, unknown])).toEqual(['drift.detected', 'node.unreachable']);
  });

  it('says drift.detected instead of node.recovered when the node comes back with other drift', () => {
    expect(alertsOf([inSync, unknown, drift('f1')])).toEqual(['node.unreachable', 'drift.detected']);
    expect(alertsOf([drift('f1'), unknown, drift('f2')])).toEqual([
      'drift.detected',
      'node.unreachable',
      'drift.detected',
    ]);
  });

  it('says node.recovered when a drifted node comes back in sync', () => {
    expect(alertsOf([drift('f1'), unknown, inSync])).toEqual([
      'drift.detected',
      'node.unreachable',
      'node.recovered',
    ]);
  });

  it('stays silent for a node unreachable from its first scan until it is seen', () => {
    expect(alertsOf([unknown, unknown, inSync, unknown])).toEqual(['node.unreachable']);
    expect(alertsOf([unknown, drift('f1')])).toEqual(['drift.detected']);
  });

  it('ignores a fingerprint sent with a non-drift status', () => {
    expect(alertsOf([inSync, { status: 'in_sync', fingerprint: 'stray' }])).toEqual([]);
  });

  it('records the last scan and what was alerted', () => {
    const { state } = run([drift('f1'), unknown]);
    expect(state).toEqual({
      last_scan: unknown,
      alerted: { status: 'unknown', fingerprint: 'f1' },
      last_alert_at: new Date(START + 60_000).toISOString(),
    });
  });
});

describe('decideAlert hold window', () => {
  it('sends at most one alert per window while a node flaps between in sync and drift every scan', () => {
    // 60 s scans, 600 s hold: scan 10 is back at the alerted drift, so the first due alert is at scan 11.
    const flapping = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? drift('f1') : inSync));
    const { alerts } = run(flapping, { holdS: HOLD_S });

    expect(alerts).toEqual([
      { at: 0, alert: 'drift.detected' },
      { at: 11, alert: 'drift.resolved' },
      { at: 22, alert: 'drift.detected' },
    ]);
    for (let i = 1; i < alerts.length; i++) {
      expect((alerts[i].at - alerts[i - 1].at) * 60).toBeGreaterThanOrEqual(HOLD_S);
    }
  });

  it('always reports the final state once the window has passed', () => {
    const scans = [drift('f1'), inSync, drift('f1'), inSync, inSync, ...Array(12).fill(inSync)];
    const { alerts, state } = run(scans, { holdS: HOLD_S });

    expect(alerts).toEqual([
      { at: 0, alert: 'drift.detected' },
      { at: 10, alert: 'drift.resolved' },
    ]);
    expect(state?.alerted).toEqual(inSync);
  });

  it('sends nothing when the node flaps back to the last alerted state within the window', () => {
    const scans = [drift('f1'), inSync, unknown, drift('f2'), drift('f1'), ...Array(12).fill(drift('f1'))];
    expect(alertsOf(scans, { holdS: HOLD_S })).toEqual(['drift.detected']);
  });

  it('reports a change after the window relative to the last alerted state, not the previous scan', () => {
    const scans = [drift('f1'), unknown, drift('f2'), ...Array(10).fill(drift('f2'))];
    expect(run(scans, { holdS: HOLD_S }).alerts).toEqual([
      { at: 0, alert: 'drift.detected' },
      { at: 10, alert: 'drift.changed' },
    ]);
  });

  it('asks to be called again when the window ends so a held change is sent without a new scan', () => {
    const first = decideAlert(null, drift('f1'), new Date(START), HOLD_S);
    const held = decideAlert(first.next, inSync, new Date(START + 60_000), HOLD_S);

    expect(held.alert).toBeNull();
    expect(held.recheck_at).toEqual(new Date(START + HOLD_S * 1000));
    expect(held.next.last_scan).toEqual(inSync);
    expect(held.next.alerted).toEqual(drift('f1'));

    const recheck = decideAlert(held.next, held.next.last_scan, held.recheck_at!, HOLD_S);
    expect(recheck.alert).toBe('drift.resolved');
    expect(recheck.recheck_at).toBeNull();
    expect(recheck.next.last_alert_at).toBe(new Date(START + HOLD_S * 1000).toISOString());
  });

  it('does not ask for a recheck when nothing is due', () => {
    const first = decideAlert(null, drift('f1'), new Date(START), HOLD_S);
    expect(decideAlert(first.next, drift('f1'), new Date(START + 60_000), HOLD_S).recheck_at).toBeNull();
  });

  it('does not hold anything when the hold is zero', () => {
    expect(alertsOf([drift('f1'), inSync, drift('f1'), inSync], { everyS: 1, holdS: 0 })).toEqual([
      'drift.detected',
      'drift.resolved',
      'drift.detected',
      'drift.resolved',
    ]);
  });
});
