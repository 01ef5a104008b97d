import { useState } from 'preact/hooks';
import { api, errorText, expectOk } from '../api';
import { ClientConfig } from '../components/client-config';
import { ErrorNote } from '../components/status';
import { dateTime } from '../format';
import { useLoad, usePageHeading } from '../hooks';
import type { PeerView } from '../types';

/**
 * "My devices" (docs/API.md "Self-service"): the signed-in user's own peers. Adding one shows its config and
 * QR code at once; later they stay one click away, like deleting.
 */
export function MyDevices() {
  const heading = usePageHeading('My devices');
  const devices = useLoad(() => expectOk(api.GET('/api/me/peers')), []);
  const nodes = useLoad(() => expectOk(api.GET('/api/me/nodes')), []);
  const [nodeId, setNodeId] = useState('');
  const [name, setName] = useState('');
  const [showing, setShowing] = useState<PeerView>();
  const [problem, setProblem] = useState<string>();
  const choices = nodes.data?.items ?? [];
  const chosen = nodeId || choices[0]?.id || '';

  const add = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    try {
      const created = await expectOk(api.POST('/api/me/peers', { body: { node_id: chosen, name } }));
      setName('');
      setShowing(created);
      void devices.reload();
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };
  const remove = async (device: PeerView) => {
    if (!confirm(`Delete ${device.name}? It stops connecting at once.`)) return;
    setProblem(undefined);
    try {
      await expectOk(api.DELETE('/api/me/peers/{id}', { params: { path: { id: device.id } } }));
      if (showing?.id === device.id) setShowing(undefined);
      void devices.reload();
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };

  return (
    <section aria-labelledby="devices-title">
      <h1 id="devices-title" ref={heading} tabIndex={-1}>
        My devices
      </h1>
      {choices.length > 0 ? (
        <form class="toolbar card" onSubmit={add}>
          <label class="inline">
            Server{' '}
            <select value={chosen} onChange={(event) => setNodeId(event.currentTarget.value)}>
              {choices.map((node) => (
                <option key={node.id} value={node.id}>
                  {node.name}
                </option>
              ))}
            </select>
          </label>
          <label class="inline">
            Device name{' '}
            <input
              required
              maxLength={100}
              value={name}
              placeholder="e.g. my-phone"
              onInput={(event) => setName(event.currentTarget.value)}
            />
          </label>
          <button type="submit" class="primary">
            Add device
          </button>
        </form>
      ) : (
        nodes.data && <p class="muted">You may not add devices yourself; ask an operator.</p>
      )}
      {problem && <p class="alert alert-error">{problem}</p>}
      <ErrorNote error={devices.error ?? nodes.error} />
      {showing && <ClientConfig peer={showing} from="/api/me/peers" onClose={() => setShowing(undefined)} />}
      <table>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Address</th>
            <th scope="col">Added</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(devices.data?.items ?? []).map((device) => (
            <tr key={device.id}>
              <td>{device.name}</td>
              <td>
                <code>{device.allowed_ips.join(', ')}</code>
              </td>
              <td>{dateTime(device.created_at)}</td>
              <td class="actions">
                <button type="button" onClick={() => setShowing(device)}>
                  Config and QR
                </button>
                <button type="button" onClick={() => void remove(device)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {devices.data?.items.length === 0 && (
            <tr>
              <td colSpan={4} class="muted">
                No devices yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
