import { useState } from 'preact/hooks';
import { api, errorText, expectOk, WgfleetApiError } from '../api';
import { Field, listOrNull, numberOrNull } from '../components/field';
import { SourceLabel } from '../components/setting-source';
import { ErrorNote } from '../components/status';
import { dateTime, showValue } from '../format';
import { useLoad, usePageHeading } from '../hooks';
import { useCanWrite } from '../session';
import type { NodeView, TemplateSettings, TemplateView } from '../types';

type SettingKey = keyof TemplateSettings & string;

/** A setting the form edits, typed by the API's settings body. */
type SettingField = { label: string; hint: string } & (
  | {
      kind: 'number';
      key: {
        [K in SettingKey]: TemplateSettings[K] extends number | null | undefined ? K : never;
      }[SettingKey];
    }
  | {
      kind: 'list';
      key: {
        [K in SettingKey]: TemplateSettings[K] extends string[] | null | undefined ? K : never;
      }[SettingKey];
    }
  | { kind: 'routes'; key: 'client_routes' }
);

const SETTINGS: SettingField[] = [
  { key: 'override_listen_port', label: 'Listen port', kind: 'number', hint: '1–65535' },
  { key: 'override_dns', label: 'Client DNS', kind: 'list', hint: 'IP addresses, comma separated' },
  { key: 'client_dns_search', label: 'Client DNS search', kind: 'list', hint: 'domains, comma separated' },
  { key: 'override_mtu', label: 'Client MTU', kind: 'number', hint: '1280–9000' },
  { key: 'override_keepalive', label: 'Persistent keepalive (s)', kind: 'number', hint: '0–65535, 0 is off' },
  {
    key: 'client_routes',
    label: 'Client routes',
    kind: 'routes',
    hint: '"full", or networks: 10.0.0.0/8, …',
  },
  {
    key: 'override_endpoint_allowed_ip',
    label: 'Client allowed IPs',
    kind: 'list',
    hint: 'CIDRs; wins over client routes',
  },
  { key: 'interface_mtu', label: 'Server interface MTU', kind: 'number', hint: '1280–9000' },
  { key: 'fwmark', label: 'Server fwmark', kind: 'number', hint: '0–4294967295, 0 clears' },
];

function textOf(settings: TemplateSettings, field: SettingField): string {
  if (field.kind === 'routes') {
    const routes = settings.client_routes;
    return !routes ? '' : routes.mode === 'full' ? 'full' : routes.networks.join(', ');
  }
  const value = settings[field.key];
  return value === null || value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value);
}

/** The form's texts as the API's settings; an empty field is null, which removes the setting. */
function settingsOf(values: Record<string, string>): TemplateSettings {
  const settings: TemplateSettings = {};
  for (const field of SETTINGS) {
    const text = values[field.key] ?? '';
    if (field.kind === 'routes') {
      const networks = listOrNull(text);
      settings.client_routes =
        text.trim() === 'full' ? { mode: 'full' } : networks ? { mode: 'split', networks } : null;
    } else if (field.kind === 'list') settings[field.key] = listOrNull(text);
    else settings[field.key] = numberOrNull(field.key, text);
  }
  return settings;
}

export function Templates() {
  const heading = usePageHeading('Templates');
  const canWrite = useCanWrite();
  const templates = useLoad(() => expectOk(api.GET('/api/templates')), []);
  const nodes = useLoad(() => expectOk(api.GET('/api/nodes')), []);
  const [editing, setEditing] = useState<TemplateView | 'new'>();
  const [previewing, setPreviewing] = useState<TemplateView>();
  const [problem, setProblem] = useState<string>();

  const remove = async (template: TemplateView) => {
    if (!confirm(`Delete template ${template.name}?`)) return;
    setProblem(undefined);
    try {
      await expectOk(
        api.DELETE('/api/templates/{id}', {
          params: { path: { id: template.id }, query: { version: template.version } },
        }),
      );
      void templates.reload();
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };
  const followers = (template: TemplateView) =>
    (nodes.data?.items ?? []).filter((node) => node.template_id === template.id);

  return (
    <section aria-labelledby="templates-title">
      <h1 id="templates-title" ref={heading} tabIndex={-1}>
        Templates
      </h1>
      <p class="muted">
        Versioned node settings. Editing a template makes its next version; a node keeps the version it pinned
        until it is pinned again.
      </p>
      {canWrite && (
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          New template
        </button>
      )}
      <ErrorNote error={problem} />
      <ErrorNote error={templates.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Version</th>
            <th scope="col">Settings</th>
            <th scope="col">Nodes</th>
            <th scope="col">Changed</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(templates.data?.items ?? []).map((template) => (
            <tr key={template.id}>
              <th scope="row">{template.name}</th>
              <td>v{template.version}</td>
              <td>
                {SETTINGS.filter((field) => textOf(template.settings, field) !== '')
                  .map((field) => `${field.label}: ${textOf(template.settings, field)}`)
                  .join(' · ') || <span class="muted">nothing set</span>}
              </td>
              <td>{followers(template).length}</td>
              <td>{dateTime(template.updated_at)}</td>
              <td>
                <button type="button" class="ghost" onClick={() => setPreviewing(template)}>
                  Preview
                </button>
                {canWrite && (
                  <>
                    <button type="button" class="ghost" onClick={() => setEditing(template)}>
                      Edit
                    </button>
                    <button type="button" class="ghost" onClick={() => void remove(template)}>
                      Delete
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <TemplateForm
          key={editing === 'new' ? 'new' : editing.id}
          template={editing === 'new' ? undefined : editing}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) void templates.reload();
          }}
        />
      )}
      {previewing && <Preview template={previewing} nodes={followers(previewing)} />}
    </section>
  );
}

function TemplateForm({
  template,
  onDone,
}: {
  template?: TemplateView;
  onDone: (saved: TemplateView | undefined) => void;
}) {
  const [name, setName] = useState(template?.name ?? '');
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(SETTINGS.map((field) => [field.key, textOf(template?.settings ?? {}, field)])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();

  const save = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    setMessage(undefined);
    try {
      const settings = settingsOf(values);
      const saved = template
        ? await expectOk(
            api.PATCH('/api/templates/{id}', {
              params: { path: { id: template.id } },
              body: { name, settings, version: template.version },
            }),
          )
        : await expectOk(api.POST('/api/templates', { body: { name, settings } }));
      setMessage(`Saved as version ${saved.version}.`);
      onDone(saved);
    } catch (caught) {
      if (caught instanceof WgfleetApiError && caught.fieldProblems.length) {
        setErrors(
          Object.fromEntries(
            caught.fieldProblems.map((problem) => [
              problem.field.replace(/^settings\./, ''),
              problem.message,
            ]),
          ),
        );
      }
      setMessage(errorText(caught));
    }
  };

  return (
    <form class="card overrides" onSubmit={save} noValidate aria-labelledby="template-form-title">
      <h2 id="template-form-title">
        {template ? `Edit ${template.name} (v${template.version})` : 'New template'}
      </h2>
      <p class="muted small">Leave a field empty for the template not to set it.</p>
      <Field id="name" label="Name" error={errors.name}>
        {(props) => (
          <input {...props} required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        )}
      </Field>
      {SETTINGS.map((field) => (
        <Field key={field.key} id={field.key} label={field.label} hint={field.hint} error={errors[field.key]}>
          {(props) => (
            <input
              {...props}
              name={field.key}
              value={values[field.key]}
              onInput={(e) => setValues({ ...values, [field.key]: e.currentTarget.value })}
            />
          )}
        </Field>
      ))}
      <ErrorNote error={message} />
      <button type="submit" class="primary">
        {template ? 'Save as the next version' : 'Create'}
      </button>
      <button type="button" class="ghost" onClick={() => onDone(undefined)}>
        Cancel
      </button>
    </form>
  );
}

/** A node following the template: its settings at the version it runs beside the latest version's. */
function Preview({ template, nodes }: { template: TemplateView; nodes: NodeView[] }) {
  const [nodeId, setNodeId] = useState(nodes[0]?.id);
  const node = nodes.find((candidate) => candidate.id === nodeId);
  const pinned = useLoad(
    () =>
      node
        ? expectOk(api.GET('/api/nodes/{id}/settings', { params: { path: { id: node.id } } }))
        : Promise.resolve(null),
    [node?.id, node?.version],
  );
  const latest = useLoad(
    () =>
      node
        ? expectOk(
            api.GET('/api/nodes/{id}/settings', {
              params: { path: { id: node.id }, query: { template_version: template.version } },
            }),
          )
        : Promise.resolve(null),
    [node?.id, node?.version, template.version],
  );
  if (nodes.length === 0)
    return <p class="card muted">No node follows {template.name}: pin one from the CLI or the API.</p>;
  return (
    <section class="card" aria-labelledby="preview-title">
      <h2 id="preview-title">Effective values with {template.name}</h2>
      <label class="inline">
        Node{' '}
        <select value={nodeId} onChange={(e) => setNodeId(e.currentTarget.value)}>
          {nodes.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name} (runs v{candidate.template_version})
            </option>
          ))}
        </select>
      </label>
      <ErrorNote error={pinned.error ?? latest.error} />
      <table class="settings">
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Now (v{pinned.data?.template_version})</th>
            <th scope="col">From</th>
            <th scope="col">At the latest (v{template.version})</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {(pinned.data?.settings ?? []).map((setting, index) => {
            const next = latest.data?.settings[index];
            return (
              <tr key={setting.field}>
                <th scope="row">
                  <code>{setting.field}</code>
                </th>
                <td>{showValue(setting.value)}</td>
                <td>
                  <SourceLabel source={setting.source} templateVersion={pinned.data?.template_version} />
                </td>
                <td>{next ? showValue(next.value) : '…'}</td>
                <td>{next && <SourceLabel source={next.source} templateVersion={template.version} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
