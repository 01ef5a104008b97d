import { useState } from 'preact/hooks';
import { api, errorText, expectOk, WgfleetApiError } from '../api';
import { AdoptPeers } from '../components/adopt-peers';
import { DriftDetail } from '../components/drift-detail';
import { SourceLabel } from '../components/setting-source';
import { Field, listOrNull, numberOrNull } from '../components/field';
import { PlanRepair } from '../components/plan-review';
import { LatestRepairProblem } from '../components/repair-problem';
import { DriftCounts, ErrorNote, StatusBadge } from '../components/status';
import { NodeTags } from '../components/tags';
import { ago, dateTime, showValue, unknownReason } from '../format';
import { useLoad, usePageHeading } from '../hooks';
import { mayOnNode } from '../access';
import { useSession } from '../session';
import type { EffectiveSetting, NodeUpdate, NodeView } from '../types';

const NODE_POLL_MS = 5000;

export function NodePage({ id }: { id: string }) {
  const { me } = useSession();
  const node = useLoad(() => expectOk(api.GET('/api/nodes/{id}', { params: { path: { id } } })), [id]);
  const heading = usePageHeading(node.data?.id === id ? node.data.name : undefined);
  const drift = useLoad(
    () => expectOk(api.GET('/api/drift/nodes/{id}', { params: { path: { id } } })),
    [id],
    NODE_POLL_MS,
  );
  const history = useLoad(
    () =>
      expectOk(api.GET('/api/drift/nodes/{id}/history', { params: { path: { id }, query: { limit: 30 } } })),
    [id],
    NODE_POLL_MS * 3,
  );

  const settings = useLoad(
    () => expectOk(api.GET('/api/nodes/{id}/settings', { params: { path: { id } } })),
    [id],
  );
  const templateId = node.data?.template_id ?? null;
  const template = useLoad(
    () =>
      templateId === null
        ? Promise.resolve(null)
        : expectOk(api.GET('/api/templates/{id}', { params: { path: { id: templateId } } })),
    [templateId],
  );

  if (node.error && !node.data) return <ErrorNote error={node.error} />;
  if (!node.data) return <p class="muted">Loading the node…</p>;
  const view = node.data;
  const canWrite = mayOnNode(me, 'write', view);
  const report = drift.data;
  const status = !view.enabled ? 'disabled' : (report?.status ?? 'unknown');

  return (
    <article aria-labelledby="node-title" class="node">
      <p class="crumbs">
        <a href="/">Fleet</a> / {view.name}
      </p>
      <div class="page-head">
        <h1 id="node-title" ref={heading} tabIndex={-1}>
          {view.name} <StatusBadge status={status} />
        </h1>
        <p class="live" aria-live="polite">
          <span class="dot" aria-hidden="true" /> checked {ago(report?.checked_at)}
        </p>
      </div>
      <p class="sub">
        <code>{view.interface}</code> · {view.endpoint} · agent {view.agent_url} · pool {view.address_pool}
      </p>
      {view.template_id !== null && (
        <p class="sub">
          template <a href="/templates">{template.data?.name ?? view.template_id}</a> · runs version{' '}
          {view.template_version}
          {template.data &&
            view.template_version !== null &&
            template.data.version > view.template_version && (
              <span class="muted"> (latest is v{template.data.version})</span>
            )}
        </p>
      )}

      <div class="node-grid">
        <section class="card" aria-labelledby="drift-title">
          <h2 id="drift-title">Drift</h2>
          {report ? (
            <>
              <p>
                <DriftCounts summary={report.summary} />
              </p>
              <DriftDetail report={report} />
            </>
          ) : (
            <ErrorNote error={drift.error} />
          )}
        </section>
        {canWrite && view.enabled && (
          <PlanRepair
            nodeId={id}
            unknownPeers={report?.status === 'unknown' ? undefined : report?.summary.unknown}
            onDone={() => {
              void drift.reload();
              void history.reload();
            }}
          />
        )}
      </div>

      {canWrite && view.enabled && report && (
        <AdoptPeers nodeId={id} unknownPeers={report.summary.unknown} onDone={() => void drift.reload()} />
      )}
      <LatestRepairProblem nodeId={id} />

      {/* Kept across the reload a save makes, so its "Tags saved." stays in view. */}
      <NodeTags key={view.id} node={view} canWrite={canWrite} onSaved={() => void node.reload()} />

      <div class="node-grid">
        <Settings
          node={view}
          settings={settings.data?.settings}
          templateVersion={settings.data?.template_version}
          canWrite={canWrite}
          onSaved={() => {
            void node.reload();
            void settings.reload();
          }}
        />
        <section class="card" aria-labelledby="history-title">
          <h2 id="history-title">History</h2>
          <ol class="timeline">
            {(history.data?.items ?? []).map((scan) => (
              <li key={scan.id} class={`status-${scan.status} ${scan.status_changed ? 'changed' : ''}`}>
                <time dateTime={scan.checked_at} title={dateTime(scan.checked_at)}>
                  {ago(scan.checked_at)}
                </time>{' '}
                <StatusBadge status={scan.status} /> <span class="muted">{scan.trigger}</span>{' '}
                {scan.status === 'unknown' ? (
                  <span class="reason">{unknownReason(scan.error)}</span>
                ) : (
                  <DriftCounts summary={scan.summary} />
                )}
              </li>
            ))}
          </ol>
        </section>
      </div>
    </article>
  );
}

type Override = keyof NodeView & keyof NodeUpdate & `override_${string}`;

/** An override the form edits, typed by the API's update body: a number or a list of texts. */
type OverrideField = { label: string; hint: string } & (
  | {
      kind: 'number';
      key: { [K in Override]: NodeUpdate[K] extends number | null | undefined ? K : never }[Override];
    }
  | {
      kind: 'list';
      key: { [K in Override]: NodeUpdate[K] extends string[] | null | undefined ? K : never }[Override];
    }
);

const OVERRIDES: OverrideField[] = [
  {
    key: 'override_listen_port',
    label: 'Listen port',
    kind: 'number',
    hint: '1–65535',
  },
  {
    key: 'override_dns',
    label: 'Client DNS',
    kind: 'list',
    hint: 'IP addresses, comma separated',
  },
  { key: 'override_mtu', label: 'Client MTU', kind: 'number', hint: '1280–9000' },
  {
    key: 'override_keepalive',
    label: 'Persistent keepalive (s)',
    kind: 'number',
    hint: '0–65535, 0 is off',
  },
  {
    key: 'override_endpoint_allowed_ip',
    label: 'Client allowed IPs',
    kind: 'list',
    hint: 'CIDRs, comma separated',
  },
];

function textOf(value: unknown): string {
  return value === null || value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * Each setting with its effective value and where it comes from, and the node overrides form. A peer's own
 * value wins over both (shown on the Peers page).
 */
function Settings({
  node,
  settings,
  templateVersion,
  canWrite,
  onSaved,
}: {
  node: NodeView;
  settings: EffectiveSetting[] | undefined;
  templateVersion: number | null | undefined;
  canWrite: boolean;
  onSaved: () => void;
}) {
  const initial = () => Object.fromEntries(OVERRIDES.map((field) => [field.key, textOf(node[field.key])]));
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(undefined);
    try {
      const body: NodeUpdate = { version: node.version };
      for (const field of OVERRIDES) {
        if (field.kind === 'list') body[field.key] = listOrNull(values[field.key]);
        else body[field.key] = numberOrNull(field.key, values[field.key]);
      }
      await expectOk(api.PATCH('/api/nodes/{id}', { params: { path: { id: node.id } }, body }));
      setMessage({ kind: 'ok', text: 'Saved. The node is updated in the background.' });
      onSaved();
    } catch (caught) {
      if (caught instanceof WgfleetApiError && caught.fieldProblems.length) {
        setErrors(
          Object.fromEntries(caught.fieldProblems.map((problem) => [problem.field, problem.message])),
        );
        setMessage({ kind: 'error', text: 'Not saved: fix the marked fields.' });
      } else if (caught instanceof WgfleetApiError && caught.status === 409) {
        setMessage({
          kind: 'error',
          text: 'Someone changed this node meanwhile; reloaded, check and save again.',
        });
        onSaved();
      } else {
        setMessage({ kind: 'error', text: errorText(caught) });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <table class="settings">
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Effective for peers</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {(settings ?? []).map((setting) => (
            <tr key={setting.field}>
              <th scope="row">
                <code>{setting.field}</code>
              </th>
              <td>{showValue(setting.value)}</td>
              <td>
                <SourceLabel source={setting.source} templateVersion={templateVersion} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">A peer's own value, when it has one, wins over both.</p>
      {canWrite && (
        <form onSubmit={save} class="overrides" noValidate aria-labelledby="overrides-title">
          <h3 id="overrides-title">Node overrides</h3>
          <p class="muted small">Leave a field empty to use the panel default.</p>
          {OVERRIDES.map((field) => (
            <Field
              key={field.key}
              id={field.key}
              label={field.label}
              hint={field.hint}
              error={errors[field.key]}
            >
              {(props) => (
                <input
                  {...props}
                  name={field.key}
                  inputMode={field.kind === 'number' ? 'numeric' : undefined}
                  value={values[field.key]}
                  onInput={(event) => setValues({ ...values, [field.key]: event.currentTarget.value })}
                />
              )}
            </Field>
          ))}
          {message && (
            <p class={`alert alert-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
              {message.text}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save overrides'}
          </button>
        </form>
      )}
    </section>
  );
}
