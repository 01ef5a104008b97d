import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, errorText, expectOk } from '../api';
import { ErrorNote } from '../components/status';
import { shortKey } from '../format';
import { useLoad, usePageHeading } from '../hooks';
import { mayOnCluster } from '../access';
import { useCanWrite, useSession } from '../session';
import type { ClusterMember, ClusterView, NodeView, PeerView } from '../types';
import { ClientConfig } from '../components/client-config';
import { PeerForm } from './peers';

const CLUSTER_POLL_MS = 5000;
const HEALTH_LABEL: Record<ClusterMember['health'], string> = {
  healthy: '✓ healthy',
  unhealthy: '▲ unhealthy',
  draining: '– draining',
};
const HEALTH_CLASS: Record<ClusterMember['health'], string> = {
  healthy: 'status-in_sync',
  unhealthy: 'status-drift',
  draining: 'status-disabled',
};

/** Every cluster, and a form to make one. */
export function Clusters() {
  const heading = usePageHeading('Clusters');
  const canWrite = useCanWrite();
  const clusters = useLoad(
    () => expectOk(api.GET('/api/clusters', { params: { query: { limit: 1000 } } })),
    [],
  );
  const [creating, setCreating] = useState(false);

  return (
    <section aria-labelledby="clusters-title">
      <div class="page-head">
        <h1 id="clusters-title" ref={heading} tabIndex={-1}>
          Clusters
        </h1>
        {canWrite && !creating && (
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            New cluster
          </button>
        )}
      </div>
      <p class="sub">
        Nodes sharing one endpoint name and one WireGuard key; their peers are on every member.
      </p>
      {creating && (
        <ClusterForm
          onClose={() => {
            setCreating(false);
            void clusters.reload();
          }}
        />
      )}
      <ErrorNote error={clusters.error} />
      <table data-testid="clusters-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Endpoint</th>
            <th scope="col">Pool</th>
            <th scope="col">Members</th>
            <th scope="col">Published</th>
          </tr>
        </thead>
        <tbody>
          {(clusters.data?.items ?? []).map((cluster) => (
            <tr key={cluster.id}>
              <th scope="row">
                <a href={`/clusters/${cluster.id}`}>{cluster.name}</a>
              </th>
              <td>
                <code>
                  {cluster.endpoint_host}:{cluster.endpoint_port}
                </code>
              </td>
              <td>{cluster.address_pool}</td>
              <td>
                {cluster.members.filter((member) => member.health === 'healthy').length} healthy of{' '}
                {cluster.members.length}
              </td>
              <td>{cluster.members.filter((member) => member.published).length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ClusterForm({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('51820');
  const [pool, setPool] = useState('');
  const [problem, setProblem] = useState<string>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(undefined);
    try {
      await expectOk(
        api.POST('/api/clusters', {
          body: { name, endpoint_host: host, endpoint_port: Number(port), address_pool: pool },
        }),
      );
      onClose();
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };

  return (
    <form class="card form-card" onSubmit={submit} aria-labelledby="cluster-form-title">
      <h2 id="cluster-form-title">New cluster</h2>
      <p class="muted small">
        The DNS publishing settings (with their secret) are set through the API or the fleet file.
      </p>
      <label>
        Name <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        Endpoint name{' '}
        <input
          required
          placeholder="vpn.example.com"
          value={host}
          onInput={(e) => setHost(e.currentTarget.value)}
        />
      </label>
      <label>
        Port <input inputMode="numeric" value={port} onInput={(e) => setPort(e.currentTarget.value)} />
      </label>
      <label>
        Address pool{' '}
        <input
          required
          placeholder="10.50.0.0/24"
          value={pool}
          onInput={(e) => setPool(e.currentTarget.value)}
        />
      </label>
      <ErrorNote error={problem} />
      <div class="actions">
        <button type="submit" class="primary">
          Create cluster
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * What DNS says now for the cluster's endpoint name. The health checks fill it in; until then it shows what
 * the panel has recorded as published.
 */
export function ClusterDnsStatus({ cluster }: { cluster: ClusterView }) {
  const published = cluster.members.filter((member) => member.published).map((member) => member.node_id);
  return (
    <section class="card" aria-labelledby="cluster-dns-title" data-testid="cluster-dns">
      <h2 id="cluster-dns-title">DNS</h2>
      <p>
        {cluster.dns ? (
          <>
            {cluster.dns.provider === 'rfc2136'
              ? `RFC 2136 updates to ${cluster.dns.server ?? ''} (zone ${cluster.dns.zone ?? ''})`
              : `webhook ${cluster.dns.url ?? ''}`}
            {cluster.dns.has_secret && ' · secret set'}
          </>
        ) : (
          'not published: no DNS settings'
        )}
      </p>
      <p class="muted small">Published members: {published.length ? published.length : 'none yet'}</p>
    </section>
  );
}

/** Actions on one member beyond removing it (drain, undrain): filled in by the health checks' module. */
export function MemberActions(_props: { cluster: ClusterView; member: ClusterMember }): ComponentChildren {
  return null;
}

export function ClusterPage({ id }: { id: string }) {
  const canWrite = mayOnCluster(useSession().me, 'write', id);
  const cluster = useLoad(
    () => expectOk(api.GET('/api/clusters/{id}', { params: { path: { id } } })),
    [id],
    CLUSTER_POLL_MS,
  );
  const heading = usePageHeading(cluster.data?.id === id ? cluster.data.name : undefined);
  const nodes = useLoad(() => expectOk(api.GET('/api/nodes', { params: { query: { limit: 1000 } } })), []);
  const peers = useLoad(
    () => expectOk(api.GET('/api/clusters/{id}/peers', { params: { path: { id }, query: { limit: 1000 } } })),
    [id],
  );
  const [creating, setCreating] = useState(false);
  const [showing, setShowing] = useState<PeerView>();
  const [problem, setProblem] = useState<string>();

  if (cluster.error && !cluster.data) return <ErrorNote error={cluster.error} />;
  if (!cluster.data) return <p class="muted">Loading the cluster…</p>;
  const view = cluster.data;
  const nodeById = new Map((nodes.data?.items ?? []).map((node) => [node.id, node]));

  const act = async (action: () => Promise<unknown>) => {
    setProblem(undefined);
    try {
      await action();
      void cluster.reload();
      void peers.reload();
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };
  const removeMember = (member: ClusterMember) => {
    const name = nodeById.get(member.node_id)?.name ?? member.node_id;
    if (!confirm(`Remove ${name} from ${view.name}? The cluster's peers are taken off it.`)) return;
    void act(() =>
      expectOk(
        api.DELETE('/api/clusters/{id}/members/{node_id}', {
          params: { path: { id, node_id: member.node_id } },
        }),
      ),
    );
  };

  return (
    <article aria-labelledby="cluster-title" class="cluster">
      <p class="crumbs">
        <a href="/clusters">Clusters</a> / {view.name}
      </p>
      <h1 id="cluster-title" ref={heading} tabIndex={-1}>
        {view.name}
      </h1>
      <p class="sub">
        <code>
          {view.endpoint_host}:{view.endpoint_port}
        </code>{' '}
        · pool {view.address_pool} · key{' '}
        {view.public_key ? shortKey(view.public_key) : 'from the first member'}
      </p>
      <ErrorNote error={problem} />
      <ClusterDnsStatus cluster={view} />

      <section class="card" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <table data-testid="members-table">
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Health</th>
              <th scope="col">DNS</th>
              {canWrite && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {view.members.map((member) => (
              <tr key={member.node_id}>
                <th scope="row">
                  <a href={`/nodes/${member.node_id}`}>
                    {nodeById.get(member.node_id)?.name ?? member.node_id}
                  </a>
                </th>
                <td>
                  <span class={`badge ${HEALTH_CLASS[member.health]}`}>{HEALTH_LABEL[member.health]}</span>
                </td>
                <td>
                  {member.published ? (
                    <span class="badge status-in_sync">published</span>
                  ) : (
                    <span class="muted">not published</span>
                  )}
                </td>
                {canWrite && (
                  <td>
                    <MemberActions cluster={view} member={member} />
                    <button type="button" class="danger" onClick={() => removeMember(member)}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {canWrite && (
          <AddMember
            candidates={(nodes.data?.items ?? []).filter(
              (node) => !view.members.some((member) => member.node_id === node.id),
            )}
            onAdd={(nodeId) =>
              act(() =>
                expectOk(
                  api.POST('/api/clusters/{id}/members', {
                    params: { path: { id } },
                    body: { node_id: nodeId },
                  }),
                ),
              )
            }
          />
        )}
      </section>

      <section class="card" aria-labelledby="cluster-peers-title">
        <div class="page-head">
          <h2 id="cluster-peers-title">Peers (on every member)</h2>
          {canWrite && !creating && (
            <button type="button" class="primary" onClick={() => setCreating(true)}>
              New peer
            </button>
          )}
        </div>
        {creating && (
          <PeerForm
            owner={{ cluster: id }}
            onClose={(created) => {
              setCreating(false);
              void peers.reload();
              if (created) setShowing(created);
            }}
          />
        )}
        {showing && <ClientConfig peer={showing} onClose={() => setShowing(undefined)} />}
        <ErrorNote error={peers.error} />
        <table data-testid="cluster-peers-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Address</th>
              <th scope="col">Key</th>
              <th scope="col">Sync</th>
              {canWrite && <th scope="col">Config</th>}
            </tr>
          </thead>
          <tbody>
            {(peers.data?.items ?? []).map((peer) => (
              <tr key={peer.id}>
                <th scope="row">{peer.name}</th>
                <td>{peer.allowed_ips.join(', ')}</td>
                <td>
                  <code>{shortKey(peer.public_key)}</code>
                </td>
                <td>
                  <span class={`badge sync-${peer.sync_status}`}>{peer.sync_status}</span>
                </td>
                {canWrite && (
                  <td>
                    {peer.has_private_key && (
                      <button type="button" onClick={() => setShowing(peer)}>
                        Config
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}

function AddMember({
  candidates,
  onAdd,
}: {
  candidates: NodeView[];
  onAdd: (nodeId: string) => Promise<void>;
}) {
  const [nodeId, setNodeId] = useState('');
  if (!candidates.length) return null;
  return (
    <form
      class="toolbar"
      onSubmit={(event) => {
        event.preventDefault();
        if (nodeId) void onAdd(nodeId).then(() => setNodeId(''));
      }}
    >
      <label class="inline">
        Add member{' '}
        <select value={nodeId} onChange={(event) => setNodeId(event.currentTarget.value)}>
          <option value="">choose a node…</option>
          {candidates.map((node) => (
            <option key={node.id} value={node.id}>
              {node.name}
              {node.public_key ? ` (${shortKey(node.public_key)})` : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary" disabled={!nodeId}>
        Add
      </button>
      <span class="muted small">Its interface key must be the cluster's.</span>
    </form>
  );
}
