import { DRIFT_VALUES_LABEL, shortKey, showValue, unknownReason } from '../format';
import type { DriftReport, FieldMismatch } from '../types';

/** `field: expected → actual`: what the panel wants, then what the node has. */
export function Change({ change }: { change: FieldMismatch }) {
  return (
    <span class="change">
      <code class="fname">{change.field}</code>: <span class="expected">{showValue(change.expected)}</span>{' '}
      <span aria-hidden="true">→</span>
      <span class="sr-only">but the node has</span> <span class="actual">{showValue(change.actual)}</span>
    </span>
  );
}

function Group({
  title,
  count,
  kind,
  children,
}: {
  title: string;
  count: number;
  kind: string;
  children: preact.ComponentChildren;
}) {
  if (!count) return null;
  return (
    <section class={`group group-${kind}`} aria-label={`${title}: ${count}`}>
      <h3>
        {title} <span class="pill">{count}</span>
      </h3>
      <ul>{children}</ul>
    </section>
  );
}

/** The drift report grouped by kind; each line says what is wrong in words. */
export function DriftDetail({ report }: { report: DriftReport }) {
  if (report.status === 'unknown') {
    return (
      <p class="alert alert-unknown" role="status">
        The panel cannot tell this node's state: {unknownReason(report.error)}.
      </p>
    );
  }
  if (!report.has_drift) {
    return (
      <p class="alert alert-ok" role="status">
        In sync: the node runs exactly the {report.summary.expected} peers the panel wants.
        {report.summary.pending > 0 && ` ${report.summary.pending} change(s) on the way.`}
      </p>
    );
  }
  return (
    <div class="drift-groups" data-testid="drift-report">
      <Group title="Missing on the node" count={report.missing_peers.length} kind="missing">
        {report.missing_peers.map((peer) => (
          <li key={peer.public_key}>
            <strong>{peer.name}</strong> <code>{shortKey(peer.public_key)}</code>{' '}
            {peer.allowed_ips.join(', ')}
          </li>
        ))}
      </Group>
      <Group
        title={`Mismatched: ${DRIFT_VALUES_LABEL}`}
        count={report.mismatched_peers.length}
        kind="mismatched"
      >
        {report.mismatched_peers.map((peer) => (
          <li key={peer.public_key}>
            <strong>{peer.name}</strong> <code>{shortKey(peer.public_key)}</code>
            <ul class="changes">
              {peer.mismatches.map((change) => (
                <li key={change.field}>
                  <Change change={change} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </Group>
      <Group
        title="Orphaned (deleted or disabled here, still on the node)"
        count={report.orphaned_peers.length}
        kind="orphaned"
      >
        {report.orphaned_peers.map((peer) => (
          <li key={peer.public_key}>
            <strong>{peer.name}</strong> <code>{shortKey(peer.public_key)}</code>{' '}
            {peer.allowed_ips.join(', ')}
          </li>
        ))}
      </Group>
      <Group title="Unknown (never managed by the panel)" count={report.unknown_peers.length} kind="unknown">
        {report.unknown_peers.map((peer) => (
          <li key={peer.public_key}>
            <code>{shortKey(peer.public_key)}</code> {peer.allowed_ips.join(', ') || '(no allowed IPs)'}
            {peer.endpoint && <span class="muted"> from {peer.endpoint}</span>}
          </li>
        ))}
      </Group>
      <Group
        title={`Interface: ${DRIFT_VALUES_LABEL}`}
        count={report.interface_mismatches.length}
        kind="interface"
      >
        {report.interface_mismatches.map((change) => (
          <li key={change.field}>
            <Change change={change} />
          </li>
        ))}
      </Group>
    </div>
  );
}
