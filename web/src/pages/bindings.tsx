import { useState } from 'preact/hooks';
import { api, errorText, expectOk } from '../api';
import { scopeText } from '../access';
import { ErrorNote } from '../components/status';
import { dateTime } from '../format';
import { useLoad, usePageHeading } from '../hooks';
import { useIsAdmin } from '../session';
import type { BindingRole, BindingView, Scope } from '../types';

type SubjectKind = 'group' | 'user';
type ScopeKind = 'all' | 'tag' | 'cluster' | 'nodes';

const ROLES: [BindingRole, string][] = [
  ['read', 'read — look only'],
  ['write', 'write — nodes, peers, repairs'],
  ['admin', 'admin — also tokens, webhooks, bindings (on all)'],
  ['self', 'self — their own peers only'],
];
const SCOPE_KINDS: [ScopeKind, string][] = [
  ['all', 'the whole fleet'],
  ['tag', 'nodes with a tag'],
  ['cluster', 'a cluster'],
  ['nodes', 'listed nodes'],
];

/** Who may do what, and where: admins of the whole fleet add and delete bindings here. */
export function Bindings() {
  const heading = usePageHeading('Bindings');
  const admin = useIsAdmin();
  const bindings = useLoad(() => expectOk(api.GET('/api/bindings')), []);
  const users = useLoad(() => expectOk(api.GET('/api/users')), []);
  const nodes = useLoad(() => expectOk(api.GET('/api/nodes', { params: { query: { limit: 1000 } } })), []);
  const clusters = useLoad(
    () => expectOk(api.GET('/api/clusters', { params: { query: { limit: 1000 } } })),
    [],
  );
  const [subjectKind, setSubjectKind] = useState<SubjectKind>('group');
  const [subject, setSubject] = useState('');
  const [role, setRole] = useState<BindingRole>('read');
  const [scopeKind, setScopeKind] = useState<ScopeKind>('all');
  const [scopeValue, setScopeValue] = useState('');
  const [chosenNodes, setChosenNodes] = useState<string[]>([]);
  const [problem, setProblem] = useState<string>();
  if (!admin) return <p class="alert alert-error">Bindings are managed by admins of the whole fleet only.</p>;

  const scope = (): Scope => {
    if (scopeKind === 'tag') return { tag: scopeValue.trim() };
    if (scopeKind === 'cluster') return { cluster_id: scopeValue };
    if (scopeKind === 'nodes') return { node_ids: chosenNodes };
    return { all: true };
  };
  const nameOf = (binding: BindingView): string => {
    if ('group' in binding.subject) return `group ${binding.subject.group}`;
    const userId = binding.subject.user_id;
    const user = users.data?.items.find((item) => item.id === userId);
    return `user ${user ? `${user.name}${user.email ? ` <${user.email}>` : ''}` : userId}`;
  };
  const scopeName = (value: Scope): string => {
    if ('cluster_id' in value) {
      const clusterId = value.cluster_id;
      return `cluster ${clusters.data?.items.find((item) => item.id === clusterId)?.name ?? clusterId}`;
    }
    if ('node_ids' in value) {
      const names = value.node_ids.map((id) => nodes.data?.items.find((node) => node.id === id)?.name ?? id);
      return `nodes ${names.join(', ')}`;
    }
    return scopeText(value);
  };

  const create = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    try {
      await expectOk(
        api.POST('/api/bindings', {
          body: {
            subject: subjectKind === 'group' ? { group: subject.trim() } : { user_id: subject },
            role,
            scope: scope(),
          },
        }),
      );
      setSubject('');
      void bindings.reload();
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };
  const remove = async (binding: BindingView) => {
    if (
      !confirm(
        `Delete ${binding.role} on ${scopeName(binding.scope)} for ${nameOf(binding)}? It grants nothing from the next request on.`,
      )
    )
      return;
    try {
      await expectOk(api.DELETE('/api/bindings/{id}', { params: { path: { id: binding.id } } }));
      void bindings.reload();
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };

  return (
    <section aria-labelledby="bindings-title">
      <h1 id="bindings-title" ref={heading} tabIndex={-1}>
        Bindings
      </h1>
      <form class="toolbar card" onSubmit={create} aria-label="Add a binding">
        <label class="inline">
          Who{' '}
          <select
            value={subjectKind}
            onChange={(event) => {
              setSubjectKind(event.currentTarget.value === 'user' ? 'user' : 'group');
              setSubject('');
            }}
          >
            <option value="group">a group</option>
            <option value="user">a user</option>
          </select>
        </label>
        {subjectKind === 'group' ? (
          <label class="inline">
            Group{' '}
            <input required value={subject} onInput={(event) => setSubject(event.currentTarget.value)} />
          </label>
        ) : (
          <label class="inline">
            User{' '}
            <select required value={subject} onChange={(event) => setSubject(event.currentTarget.value)}>
              <option value="">choose…</option>
              {(users.data?.items ?? []).map((user) => (
                <option key={user.id} value={user.id}>
                  {user.name}
                  {user.email ? ` <${user.email}>` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="inline">
          Role{' '}
          <select
            value={role}
            onChange={(event) =>
              setRole(ROLES.find(([value]) => value === event.currentTarget.value)?.[0] ?? 'read')
            }
          >
            {ROLES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label class="inline">
          On{' '}
          <select
            value={scopeKind}
            onChange={(event) => {
              setScopeKind(SCOPE_KINDS.find(([value]) => value === event.currentTarget.value)?.[0] ?? 'all');
              setScopeValue('');
              setChosenNodes([]);
            }}
          >
            {SCOPE_KINDS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {scopeKind === 'tag' && (
          <label class="inline">
            Tag{' '}
            <input
              required
              placeholder="region=eu"
              value={scopeValue}
              onInput={(event) => setScopeValue(event.currentTarget.value)}
            />
          </label>
        )}
        {scopeKind === 'cluster' && (
          <label class="inline">
            Cluster{' '}
            <select
              required
              value={scopeValue}
              onChange={(event) => setScopeValue(event.currentTarget.value)}
            >
              <option value="">choose…</option>
              {(clusters.data?.items ?? []).map((cluster) => (
                <option key={cluster.id} value={cluster.id}>
                  {cluster.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {scopeKind === 'nodes' && (
          <label class="inline">
            Nodes{' '}
            <select
              multiple
              required
              onChange={(event) =>
                setChosenNodes([...event.currentTarget.selectedOptions].map((option) => option.value))
              }
            >
              {(nodes.data?.items ?? []).map((node) => (
                <option key={node.id} value={node.id} selected={chosenNodes.includes(node.id)}>
                  {node.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" class="primary">
          Add binding
        </button>
      </form>
      <ErrorNote error={problem} />
      <ErrorNote error={bindings.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Who</th>
            <th scope="col">Role</th>
            <th scope="col">On</th>
            <th scope="col">Created</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(bindings.data?.items ?? []).map((binding) => (
            <tr key={binding.id}>
              <th scope="row">{nameOf(binding)}</th>
              <td>
                <span class={`role role-${binding.role}`}>{binding.role}</span>
              </td>
              <td>{scopeName(binding.scope)}</td>
              <td>{dateTime(binding.created_at)}</td>
              <td>
                <button type="button" class="danger" onClick={() => remove(binding)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
