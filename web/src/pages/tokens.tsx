import { useState } from 'preact/hooks';
import { api, errorText, expectOk } from '../api';
import { scopeText } from '../access';
import { ShownOnce } from '../components/shown-once';
import { ErrorNote } from '../components/status';
import { dateTime } from '../format';
import { useLoad, usePageHeading } from '../hooks';
import { useIsAdmin } from '../session';
import type { CreatedToken, Role, TokenView } from '../types';

export function Tokens() {
  const heading = usePageHeading('API tokens');
  const admin = useIsAdmin();
  const tokens = useLoad(() => expectOk(api.GET('/api/tokens')), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('read');
  const [created, setCreated] = useState<CreatedToken>();
  const [problem, setProblem] = useState<string>();
  if (!admin) return <p class="alert alert-error">Tokens are managed by admin tokens only.</p>;

  const create = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    try {
      setCreated(await expectOk(api.POST('/api/tokens', { body: { name, role } })));
      setName('');
      void tokens.reload();
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };
  const revoke = async (token: TokenView) => {
    if (!confirm(`Revoke ${token.name}? Anything using it stops working at once.`)) return;
    try {
      await expectOk(api.DELETE('/api/tokens/{id}', { params: { path: { id: token.id } } }));
      void tokens.reload();
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };

  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title" ref={heading} tabIndex={-1}>
        API tokens
      </h1>
      {created?.token && (
        <ShownOnce
          label={`Token ${created.name} (${created.role})`}
          value={created.token}
          onDismiss={() => setCreated(undefined)}
        />
      )}
      <form class="toolbar card" onSubmit={create}>
        <label class="inline">
          Name <input required value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </label>
        <label class="inline">
          Role{' '}
          <select value={role} onChange={(event) => setRole(event.currentTarget.value as Role)}>
            <option value="read">read — look only</option>
            <option value="write">write — nodes, peers, repairs</option>
            <option value="admin">admin — also tokens and webhooks</option>
          </select>
        </label>
        <button type="submit" class="primary">
          Create token
        </button>
      </form>
      <ErrorNote error={problem} />
      <ErrorNote error={tokens.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">On</th>
            <th scope="col">Created</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(tokens.data?.items ?? []).map((token) => (
            <tr key={token.id}>
              <th scope="row">{token.name}</th>
              <td>
                <span class={`role role-${token.role}`}>{token.role}</span>
              </td>
              <td>{scopeText(token.scope)}</td>
              <td>{dateTime(token.created_at)}</td>
              <td>{token.revoked_at ? `revoked ${dateTime(token.revoked_at)}` : 'active'}</td>
              <td>
                {!token.revoked_at && (
                  <button type="button" class="danger" onClick={() => revoke(token)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
