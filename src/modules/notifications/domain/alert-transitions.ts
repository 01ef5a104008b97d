export type AlertType =
  'drift.detected' | 'drift.changed' | 'drift.resolved' | 'node.unreachable' | 'node.recovered';

export type ScanStatus = 'in_sync' | 'drift' | 'unknown';

export interface ScanOutcome {
  status: ScanStatus;
  /** Drift fingerprint; null unless status is drift. */
  fingerprint: string | null;
  /** Unknown because the interface is up without a private key yet (a node being set up); absent otherwise. */
  interface_not_ready?: true;
}

/**
 * What subscribers were last told about a node. While `unknown`, `fingerprint` keeps the drift fingerprint the
 * node had before it became unreachable (null = it was in sync), so a recovery can say whether anything moved.
 */
export interface AlertedState {
  status: ScanStatus;
  fingerprint: string | null;
}

/** Per-node alert memory; plain JSON so it can be stored as is. */
export interface NodeAlertState {
  /** The latest scan, alerted or not. */
  last_scan: ScanOutcome;
  /** Null until the node has been seen reachable or an alert was sent. */
  alerted: AlertedState | null;
  /** ISO 8601 time of the last alert sent; null = none yet. */
  last_alert_at: string | null;
}

export interface AlertDecision {
  alert: AlertType | null;
  next: NodeAlertState;
  /**
   * Set when an alert is due but held back by the hold window: call decideAlert again at this time (with the
   * stored last_scan) if no scan comes sooner, so the current state is always reported eventually.
   */
  recheck_at: Date | null;
}

/**
 * Decides whether a scan result warrants an alert. Alerts compare the scan with the last ALERTED state, not the
 * previous scan, and a node gets at most one alert per `holdS` seconds: a change inside the hold window is
 * remembered but not sent, and the first scan after the window sends the alert for the state the node is then
 * in, or nothing if it flapped back to what was last alerted.
 *
 * Rules (from the last alerted state; none = nothing told yet):
 * - none → in_sync: nothing to tell, but the node is now known; none → drift: drift.detected;
 *   none → unknown: nothing, as there is no known state to lose.
 * - in_sync → drift: drift.detected; drift → in_sync: drift.resolved; drift → drift with another fingerprint:
 *   drift.changed; in_sync or drift → unknown: node.unreachable.
 * - unknown → the state from before the outage (in_sync, or drift with the same fingerprint): node.recovered;
 *   unknown → in_sync after drift: node.recovered too (its summary shows the node in sync).
 *   unknown → drift with a fingerprint other than before the outage: drift.detected INSTEAD of node.recovered:
 *   one alert per transition, and the drift alert is the one that asks for action; it implies reachability.
 * - unknown because the interface is not ready: nothing on the first such scan, as a node being set up gets
 *   its key moments later; the second in a row is judged like any unknown scan (node.unreachable).
 */
export function decideAlert(
  previous: NodeAlertState | null,
  scan: ScanOutcome,
  now: Date,
  holdS: number,
): AlertDecision {
  const alerted = previous?.alerted ?? null;
  const lastAlertAt = previous?.last_alert_at ?? null;
  const notReady = scan.status === 'unknown' && scan.interface_not_ready === true;
  const current: ScanOutcome = {
    status: scan.status,
    fingerprint: scan.status === 'drift' ? scan.fingerprint : null,
    ...(notReady ? { interface_not_ready: true as const } : {}),
  };
  const firstNotReady = notReady && previous?.last_scan.interface_not_ready !== true;
  const alert = firstNotReady ? null : alertFor(alerted, current);

  if (alert === null) {
    // First sighting of a reachable, in-sync node: from now on it has a known state to lose.
    const adopted = alerted === null && current.status === 'in_sync' ? current : alerted;
    return {
      alert: null,
      next: { last_scan: current, alerted: adopted, last_alert_at: lastAlertAt },
      recheck_at: null,
    };
  }

  const holdEndsAt = lastAlertAt === null ? null : new Date(Date.parse(lastAlertAt) + holdS * 1000);
  if (holdEndsAt !== null && now < holdEndsAt) {
    return {
      alert: null,
      next: { last_scan: current, alerted, last_alert_at: lastAlertAt },
      recheck_at: holdEndsAt,
    };
  }

  return {
    alert,
    next: { last_scan: current, alerted: afterAlert(alerted, current), last_alert_at: now.toISOString() },
    recheck_at: null,
  };
}

function alertFor(alerted: AlertedState | null, current: ScanOutcome): AlertType | null {
  if (current.status === 'unknown') {
    return alerted === null || alerted.status === 'unknown' ? null : 'node.unreachable';
  }
  switch (alerted?.status ?? 'in_sync') {
    case 'in_sync':
      return current.status === 'drift' ? 'drift.detected' : null;
    case 'drift':
      if (current.status === 'in_sync') return 'drift.resolved';
      return current.fingerprint === alerted?.fingerprint ? null : 'drift.changed';
    case 'unknown':
      return current.status === 'drift' && current.fingerprint !== alerted?.fingerprint
        ? 'drift.detected'
        : 'node.recovered';
  }
}

function afterAlert(alerted: AlertedState | null, current: ScanOutcome): AlertedState {
  if (current.status !== 'unknown') return current;
  return { status: 'unknown', fingerprint: alerted?.fingerprint ?? null };
}
