import { useState } from 'preact/hooks';
import { api, errorText, expectOk } from '../api';
import { ShownOnce } from '../components/shown-once';
import { ErrorNote } from '../components/status';
import { dateTime } from '../format';
import { useLoad, usePageHeading } from '../hooks';
import { useIsAdmin } from '../session';

export function Webhooks() {
  const heading = usePageHeading('Webhooks');
  const admin = useIsAdmin();
  const hooks = useLoad(() => expectOk(api.GET('/api/webhooks', { params: { query: { limit: 100 } } })), []);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [open, setOpen] = useState<string>();
  if (!admin) return <p class="alert alert-error">Webhooks are managed by admin tokens only.</p>;

  const act = async (action: () => Promise<unknown>) => {
    setProblem(undefined);
    try {
      await action();
      void hooks.reload();
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };
  const create = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const created = await expectOk(
        api.POST('/api/webhooks', { body: { url, enabled: true, format: 'json' } }),
      );
      setSecret(created.secret);
      setUrl('');
    });
  };

  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title" ref={heading} tabIndex={-1}>
        Webhooks
      </h1>
      {secret && <ShownOnce label="Signing secret" value={secret} onDismiss={() => setSecret(undefined)} />}
      <form class="toolbar card" onSubmit={create}>
        <label class="inline grow">
          Receiver URL{' '}
          <input
            type="url"
            required
            value={url}
            placeholder="https://alerts.example.com/wgfleet"
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary">
          Subscribe
        </button>
      </form>
      <ErrorNote error={problem} />
      <ErrorNote error={hooks.error} />
      {(hooks.data?.items ?? []).map((hook) => (
        <article key={hook.id} class="card webhook">
          <h2>
            <code>{hook.url}</code>{' '}
            <span class={`badge ${hook.enabled ? 'status-in_sync' : 'status-disabled'}`}>
              {hook.enabled ? 'enabled' : 'disabled'}
            </span>
          </h2>
          <p class="muted small">
            {hook.events.join(', ')}
            {hook.disabled_reason && ` · disabled: ${hook.disabled_reason}`}
          </p>
          <div class="actions">
            <button
              type="button"
              onClick={() =>
                act(() =>
                  expectOk(api.POST('/api/webhooks/{id}/test', { params: { path: { id: hook.id } } })),
                )
              }
            >
              Send test event
            </button>
            <button
              type="button"
              aria-expanded={open === hook.id}
              onClick={() => setOpen(open === hook.id ? undefined : hook.id)}
            >
              Delivery log
            </button>
            <button
              type="button"
              class="danger"
              onClick={() =>
                confirm(`Delete the subscription to ${hook.url}?`) &&
                act(() =>
                  expectOk(
                    api.DELETE('/api/webhooks/{id}', {
                      params: { path: { id: hook.id }, query: { version: hook.version } },
                    }),
                  ),
                )
              }
            >
              Delete
            </button>
          </div>
          {open === hook.id && <Deliveries webhookId={hook.id} />}
        </article>
      ))}
    </section>
  );
}

function Deliveries({ webhookId }: { webhookId: string }) {
  const deliveries = useLoad(
    () =>
      expectOk(
        api.GET('/api/webhooks/{id}/deliveries', {
          params: { path: { id: webhookId }, query: { limit: 50 } },
        }),
      ),
    [webhookId],
    5000,
  );
  const redeliver = async (id: string) => {
    await expectOk(api.POST('/api/webhooks/deliveries/{id}/redeliver', { params: { path: { id } } }));
    void deliveries.reload();
  };
  return (
    <>
      <ErrorNote error={deliveries.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last answer</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(deliveries.data?.items ?? []).map((delivery) => {
            const last = delivery.attempts[delivery.attempts.length - 1];
            return (
              <tr key={delivery.id}>
                <td>{dateTime(delivery.created_at)}</td>
                <td>
                  <code>{delivery.event_type}</code>
                </td>
                <td>{delivery.status}</td>
                <td class="num">{delivery.attempt_count}</td>
                <td>{last ? (last.status_code ?? last.error ?? '—') : '—'}</td>
                <td>
                  <button type="button" onClick={() => void redeliver(delivery.id)}>
                    Redeliver
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {deliveries.data && !deliveries.data.items.length && <p class="muted">No deliveries yet.</p>}
    </>
  );
}
