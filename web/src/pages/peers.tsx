import { useEffect, useState } from 'preact/hooks';
import { api, errorText, expectOk, WgfleetApiError } from '../api';
import { Field, listOrNull, numberOrNull } from '../components/field';
import { PresharedKeyAction } from '../components/preshared-key-action';
import { Pager, usePages } from '../components/pager';
import { SearchBox } from '../components/search-box';
import { ErrorNote } from '../components/status';
import { shortKey, showValue } from '../format';
import { useLoad, usePageHeading } from '../hooks';
import { ClientConfig } from '../components/client-config';
import { useCanWrite } from '../session';
import type { PeerCreation, PeerView } from '../types';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;
const SYNC_LABEL = { applied: 'applied', pending: 'pending', failed: 'failed' } as const;

const PEER_SORTS = { name: 'by name', created: 'oldest first' } as const;
type PeerSort = keyof typeof PEER_SORTS;

function fieldErrors(caught: unknown): Record<string, string> {
  return caught instanceof WgfleetApiError
    ? Object.fromEntries(caught.fieldProblems.map((problem) => [problem.field, problem.message]))
    : {};
}

export function Peers() {
  const heading = usePageHeading('Peers');
  const canWrite = useCanWrite();
  const nodes = useLoad(() => expectOk(api.GET('/api/nodes', { params: { query: { limit: 1000 } } })), []);
  const params = new URLSearchParams(location.search);
  const [nodeId, setNodeId] = useState<string | undefined>(params.get('node') ?? undefined);
  const pages = usePages();
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<PeerView>();
  const [showing, setShowing] = useState<PeerView>();
  const [sort, setSort] = useState<PeerSort>('name');

  useEffect(() => {
    if (!nodeId && nodes.data?.items.length) setNodeId(nodes.data.items[0].id);
  }, [nodes.data]);

  // The panel searches every page; wait for a pause in typing, then start again from the first page.
  useEffect(() => {
    const timer = setTimeout(() => {
      const next = search.trim().slice(0, 100);
      if (next === query) return;
      setQuery(next);
      pages.restart();
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search]);

  const cursor = pages.cursor;
  const peers = useLoad(
    () =>
      nodeId
        ? expectOk(
            api.GET('/api/nodes/{id}/peers', {
              params: {
                path: { id: nodeId },
                query: { limit: PAGE_SIZE, cursor, q: query || undefined, sort },
              },
            }),
          )
        : Promise.resolve({ items: [] }),
    [nodeId, cursor, query, sort],
    5000,
  );

  const shown = peers.data?.items ?? [];

  const remove = async (peer: PeerView) => {
    if (!confirm(`Delete peer ${peer.name}? It is removed from its node and cannot connect any more.`))
      return;
    try {
      await expectOk(
        api.DELETE('/api/peers/{id}', {
          params: { path: { id: peer.id }, query: { version: peer.version } },
        }),
      );
      void peers.reload();
    } catch (caught) {
      alert(errorText(caught));
    }
  };

  return (
    <section aria-labelledby="peers-title">
      <div class="page-head">
        <h1 id="peers-title" ref={heading} tabIndex={-1}>
          Peers
        </h1>
        {canWrite && nodeId && (
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            New peer
          </button>
        )}
      </div>
      <div class="toolbar">
        <label class="inline">
          Node{' '}
          <select
            value={nodeId}
            onChange={(event) => {
              setNodeId(event.currentTarget.value);
              pages.restart();
            }}
          >
            {(nodes.data?.items ?? []).map((node) => (
              <option key={node.id} value={node.id}>
                {node.name}
              </option>
            ))}
          </select>
        </label>
        <SearchBox
          label="Search peers"
          placeholder="Search by name or key prefix"
          value={search}
          onInput={setSearch}
        />
        <label class="inline">
          Sort{' '}
          <select
            aria-label="Sort peers"
            value={sort}
            onChange={(event) => {
              // A cursor pages on in the order it was made for: start again from the first page.
              setSort(event.currentTarget.value as PeerSort);
              pages.restart();
            }}
          >
            {Object.entries(PEER_SORTS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={peers.error} />
      {creating && nodeId && (
        <PeerForm
          owner={{ node: nodeId }}
          onClose={(created) => {
            setCreating(false);
            void peers.reload();
            if (created) setShowing(created);
          }}
        />
      )}
      {editing && (
        <PeerForm
          peer={editing}
          onClose={() => {
            setEditing(undefined);
            void peers.reload();
          }}
        />
      )}
      {showing && <ClientConfig peer={showing} onClose={() => setShowing(undefined)} />}
      <table class="peers" data-testid="peers-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Public key</th>
            <th scope="col">Allowed IPs</th>
            <th scope="col">Keepalive</th>
            <th scope="col">Sync</th>
            {canWrite && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {shown.map((peer) => (
            <tr key={peer.id} data-peer={peer.name}>
              <th scope="row">
                {peer.name}
                {!peer.enabled && <span class="badge status-disabled">disabled</span>}
              </th>
              <td>
                <code title={peer.public_key}>{shortKey(peer.public_key)}</code>
              </td>
              <td>
                {peer.allowed_ips.join(', ')}
                {peer.routed_ips.length > 0 && (
                  <span class="muted"> routes {peer.routed_ips.join(', ')}</span>
                )}
                {peer.endpoint && <span class="muted"> via {peer.endpoint}</span>}
              </td>
              <td>{showValue(peer.effective?.persistent_keepalive ?? peer.persistent_keepalive)}</td>
              <td>
                <span class={`badge sync-${peer.sync_status}`} title={peer.sync_error ?? undefined}>
                  {SYNC_LABEL[peer.sync_status]}
                </span>
              </td>
              {canWrite && (
                <td class="row-actions">
                  {peer.has_private_key && (
                    <button type="button" onClick={() => setShowing(peer)}>
                      Config &amp; QR
                    </button>
                  )}
                  <button type="button" onClick={() => setEditing(peer)}>
                    Edit
                  </button>
                  <button type="button" class="danger" onClick={() => remove(peer)}>
                    Delete
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {peers.data && !shown.length && <p class="muted">{query ? 'No peers match.' : 'No peers here.'}</p>}
      <Pager pages={pages} next={peers.data?.next} />
    </section>
  );
}

/** Where a new peer goes: a node, or a cluster (carried by every member). */
export type PeerOwner = { node: string } | { cluster: string };

/** Creates a peer in `owner`, or edits `peer`. */
export function PeerForm({
  owner,
  peer,
  onClose,
}: {
  onClose: (created?: PeerView) => void;
} & ({ owner: PeerOwner; peer?: undefined } | { owner?: undefined; peer: PeerView })) {
  const [name, setName] = useState(peer?.name ?? '');
  const [allowedIps, setAllowedIps] = useState(peer?.allowed_ips.join(', ') ?? '');
  const [routedIps, setRoutedIps] = useState(peer?.routed_ips.join(', ') ?? '');
  const [endpoint, setEndpoint] = useState(peer?.endpoint ?? '');
  const [keepalive, setKeepalive] = useState(peer?.persistent_keepalive?.toString() ?? '');
  const [enabled, setEnabled] = useState(peer?.enabled ?? true);
  const [psk, setPsk] = useState(true);
  const [newPsk, setNewPsk] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    setProblem(undefined);
    try {
      const fields: PeerCreation = {
        name,
        persistent_keepalive: numberOrNull('persistent_keepalive', keepalive),
        enabled,
      };
      const ips = listOrNull(allowedIps);
      if (ips || peer) fields.allowed_ips = ips ?? [];
      const routes = listOrNull(routedIps);
      if (routes || peer) fields.routed_ips = routes ?? [];
      if (endpoint.trim() || peer) fields.endpoint = endpoint.trim() || null;
      if (peer && newPsk.trim()) fields.preshared_key = newPsk.trim();
      if (peer) {
        await expectOk(
          api.PATCH('/api/peers/{id}', {
            params: { path: { id: peer.id } },
            body: { ...fields, version: peer.version },
          }),
        );
        onClose();
      } else if (owner) {
        const body = { ...fields, generate_preshared_key: psk };
        const created = await expectOk(
          'cluster' in owner
            ? api.POST('/api/clusters/{id}/peers', { params: { path: { id: owner.cluster } }, body })
            : api.POST('/api/nodes/{id}/peers', { params: { path: { id: owner.node } }, body }),
        );
        onClose(created);
      }
    } catch (caught) {
      setErrors(fieldErrors(caught));
      setProblem(errorText(caught));
    }
  };

  return (
    <form class="card form-card" onSubmit={submit} noValidate aria-labelledby="peer-form-title">
      <h2 id="peer-form-title">{peer ? `Edit ${peer.name}` : 'New peer'}</h2>
      {!peer && (
        <p class="muted small">
          Keys are generated by the panel; the address comes from the node's pool when left empty.
        </p>
      )}
      <Field id="peer-name" field="name" label="Name" error={errors.name}>
        {(props) => (
          <input {...props} required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        )}
      </Field>
      <Field
        id="peer-allowed-ips"
        field="allowed_ips"
        label="Allowed IPs"
        hint="CIDRs, comma separated; empty allocates one"
        error={errors.allowed_ips}
      >
        {(props) => (
          <input {...props} value={allowedIps} onInput={(e) => setAllowedIps(e.currentTarget.value)} />
        )}
      </Field>
      <Field
        id="peer-routed-ips"
        label="Routed networks"
        hint="a site's LANs outside the node's pool, comma separated; not in the client's config"
        error={errors.routed_ips}
      >
        {(props) => (
          <input {...props} value={routedIps} onInput={(e) => setRoutedIps(e.currentTarget.value)} />
        )}
      </Field>
      <Field
        id="peer-endpoint"
        label="Endpoint"
        hint="host:port the node sends to (a site's gateway); empty: where the peer connects from"
        error={errors.endpoint}
      >
        {(props) => <input {...props} value={endpoint} onInput={(e) => setEndpoint(e.currentTarget.value)} />}
      </Field>
      <Field
        id="peer-keepalive"
        field="persistent_keepalive"
        label="Persistent keepalive (s)"
        hint="empty uses the node's"
        error={errors.persistent_keepalive}
      >
        {(props) => (
          <input
            {...props}
            inputMode="numeric"
            value={keepalive}
            onInput={(e) => setKeepalive(e.currentTarget.value)}
          />
        )}
      </Field>
      <label class="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />{' '}
        Enabled
      </label>
      {!peer && (
        <label class="check">
          <input type="checkbox" checked={psk} onChange={(e) => setPsk(e.currentTarget.checked)} /> Generate a
          preshared key
        </label>
      )}
      {peer && (
        <PresharedKeyAction
          hasKey={peer.has_preshared_key}
          value={newPsk}
          error={errors.preshared_key}
          onChange={setNewPsk}
        />
      )}
      <ErrorNote error={problem} />
      <div class="actions">
        <button type="submit" class="primary">
          {peer ? 'Save' : 'Create peer'}
        </button>
        <button type="button" onClick={() => onClose()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
