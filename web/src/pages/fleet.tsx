import { memo } from 'preact/compat';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, expectOk } from '../api';
import { SearchBox } from '../components/search-box';
import { DriftCounts, ErrorNote, ScanStrip, StatusBadge } from '../components/status';
import { TagChips, tagSelectors } from '../components/tags';
import { ago, STATUS_LABEL, STATUS_ORDER, unknownReason, type FleetStatus } from '../format';
import { useLoad, usePageHeading } from '../hooks';
import type { DriftReport, NodeView, ScanEntry } from '../types';

/** The fleet page polls this often; the panel coalesces live scans per node (DRIFT_LIVE_MIN_INTERVAL_S). */
export const FLEET_POLL_MS = 4000;
const STRIP_LENGTH = 16;
const HISTORY_CONCURRENCY = 6;
const STRIP_FLUSH_MS = 250;

export interface FleetRow {
  node: NodeView;
  report: DriftReport | undefined;
  status: FleetStatus;
}

/** Every node, or those carrying every tag of `tags` (the panel filters: `?tag=`). */
async function allNodes(tags: string[]): Promise<NodeView[]> {
  const nodes: NodeView[] = [];
  const tag = tags.length ? tags : undefined;
  let cursor: string | undefined;
  do {
    const page = await expectOk(api.GET('/api/nodes', { params: { query: { limit: 1000, cursor, tag } } }));
    nodes.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return nodes;
}

async function loadFleet(tags: string[]): Promise<{ rows: FleetRow[]; checkedAt: string }> {
  const [report, nodes] = await Promise.all([expectOk(api.GET('/api/drift/nodes')), allNodes(tags)]);
  const reports = new Map(report.nodes.map((entry) => [entry.node_id, entry]));
  const rows = nodes.map((node): FleetRow => {
    const found = reports.get(node.id);
    return { node, report: found, status: !node.enabled ? 'disabled' : (found?.status ?? 'unknown') };
  });
  return { rows, checkedAt: report.checked_at };
}

export function sortRows(rows: FleetRow[]): FleetRow[] {
  return [...rows].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.node.name.localeCompare(b.node.name),
  );
}

/**
 * Each node's recent scans: read from history once, then extended by every live poll (each poll is itself a
 * stored scan), so the strip stays current without one history request per node per poll.
 */
function useScanStrips(rows: FleetRow[] | undefined): Map<string, ScanEntry[]> {
  const [strips, setStrips] = useState(() => new Map<string, ScanEntry[]>());
  const requested = useRef(new Set<string>());

  useEffect(() => {
    if (!rows) return;
    setStrips((current) => {
      const next = new Map(current);
      for (const row of rows) {
        const known = next.get(row.node.id);
        if (!known || !row.report) continue;
        if (known[0]?.checked_at === row.report.checked_at) continue;
        const live: ScanEntry = {
          id: `live-${row.report.checked_at}`,
          node_id: row.node.id,
          trigger: 'api',
          status: row.report.status,
          has_drift: row.report.has_drift,
          status_changed: false,
          fingerprint: null,
          summary: row.report.summary,
          error: row.report.error ?? null,
          checked_at: row.report.checked_at,
          duration_ms: 0,
        };
        next.set(row.node.id, [live, ...known].slice(0, STRIP_LENGTH));
      }
      return next;
    });
    const wanted = rows.filter((row) => !requested.current.has(row.node.id)).map((row) => row.node.id);
    wanted.forEach((id) => requested.current.add(id));
    // After the rows are on screen, and folded into a few renders: the strips never hold the table back.
    const arrived = new Map<string, ScanEntry[]>();
    let flush: ReturnType<typeof setTimeout> | undefined;
    const deliver = (id: string, scans: ScanEntry[]) => {
      arrived.set(id, scans);
      flush ??= setTimeout(() => {
        flush = undefined;
        const batch = new Map(arrived);
        arrived.clear();
        setStrips((current) => new Map([...current, ...batch]));
      }, STRIP_FLUSH_MS);
    };
    let index = 0;
    const worker = async () => {
      while (index < wanted.length) {
        const id = wanted[index++];
        try {
          const page = await expectOk(
            api.GET('/api/drift/nodes/{id}/history', {
              params: { path: { id }, query: { limit: STRIP_LENGTH } },
            }),
          );
          deliver(id, page.items);
        } catch {
          deliver(id, []);
        }
      }
    };
    setTimeout(() => {
      for (let i = 0; i < HISTORY_CONCURRENCY; i++) void worker();
    }, STRIP_FLUSH_MS);
  }, [rows]);

  return strips;
}

const FILTERS: (FleetStatus | 'all')[] = ['all', 'drift', 'unknown', 'in_sync', 'disabled'];

export function Fleet() {
  const heading = usePageHeading('Fleet');
  // `?tag=k=v` (repeated) in the URL, so a filtered fleet can be bookmarked and shared.
  const [tags, setTags] = useState(() => new URLSearchParams(location.search).getAll('tag'));
  const [tagFilter, setTagFilter] = useState(() => tags.join(', '));
  const fleet = useLoad(() => loadFleet(tags), [tags.join('&')], FLEET_POLL_MS);
  const [filter, setFilter] = useState<FleetStatus | 'all'>('all');
  const [search, setSearch] = useState('');
  const rows = fleet.data?.rows;
  const strips = useScanStrips(rows);

  const counts = useMemo(() => {
    const result: Record<FleetStatus | 'all', number> = {
      all: 0,
      drift: 0,
      unknown: 0,
      in_sync: 0,
      disabled: 0,
    };
    for (const row of rows ?? []) {
      result.all++;
      result[row.status]++;
    }
    return result;
  }, [rows]);

  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return sortRows(rows ?? []).filter(
      (row) =>
        (filter === 'all' || row.status === filter) &&
        (!needle ||
          row.node.name.toLowerCase().includes(needle) ||
          row.node.endpoint.toLowerCase().includes(needle) ||
          row.node.interface.toLowerCase().includes(needle)),
    );
  }, [rows, filter, search]);

  const applyTags = (event: Event) => {
    event.preventDefault();
    const next = tagSelectors(tagFilter);
    const url = new URL(location.href);
    url.searchParams.delete('tag');
    for (const tag of next) url.searchParams.append('tag', tag);
    history.replaceState(history.state, '', url);
    setTags(next);
  };

  return (
    <section aria-labelledby="fleet-title">
      <div class="page-head">
        <h1 id="fleet-title" ref={heading} tabIndex={-1}>
          Fleet
        </h1>
        <p class="live" aria-live="polite">
          <span class={`dot ${fleet.error ? 'dot-off' : ''}`} aria-hidden="true" />
          {fleet.error ? 'Live updates paused: ' : 'Live · checked '}
          {fleet.error ? 'the panel did not answer' : ago(fleet.data?.checkedAt)}
        </p>
      </div>
      <div class="tiles" role="group" aria-label="Filter by status">
        {FILTERS.map((key) => (
          <button
            key={key}
            type="button"
            class={`tile tile-${key}`}
            aria-pressed={filter === key}
            onClick={() => setFilter(key)}
          >
            <span class="tile-count">{rows ? counts[key] : '…'}</span>
            <span class="tile-label">{key === 'all' ? 'All nodes' : STATUS_LABEL[key]}</span>
          </button>
        ))}
      </div>
      <div class="toolbar">
        <SearchBox
          label="Search nodes"
          placeholder="Search by name, endpoint or interface"
          value={search}
          onInput={setSearch}
        />
        <form class="tag-filter" onSubmit={applyTags} role="search" aria-label="Filter by tag">
          <label>
            <span class="sr-only">Tags every node must have</span>
            <input
              type="search"
              name="tag"
              placeholder="Tags: region=eu, tier=gold"
              value={tagFilter}
              onInput={(event) => setTagFilter(event.currentTarget.value)}
            />
          </label>
          <button type="submit">Filter</button>
        </form>
      </div>
      <ErrorNote error={fleet.error && !rows ? fleet.error : undefined} />
      {!rows ? (
        <p class="muted">Scanning the fleet…</p>
      ) : (
        <table class="fleet" data-testid="fleet-table">
          <caption class="sr-only">Nodes, drift and unknown first</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Node</th>
              <th scope="col">Drift</th>
              <th scope="col" class="num">
                Peers
              </th>
              <th scope="col">Last scan</th>
              <th scope="col" class="wide">
                Recent scans
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <NodeRow key={row.node.id} row={row} scans={strips.get(row.node.id)} />
            ))}
          </tbody>
        </table>
      )}
      {rows && !shown.length && <p class="muted">No node matches.</p>}
    </section>
  );
}

/** One node's row; re-rendered only when its report or its strip changes. */
const NodeRow = memo(function NodeRow({ row, scans }: { row: FleetRow; scans: ScanEntry[] | undefined }) {
  return (
    <tr class={`row-${row.status}`} data-node={row.node.name} data-status={row.status}>
      <td>
        <StatusBadge status={row.status} />
      </td>
      <th scope="row">
        <a href={`/nodes/${row.node.id}`}>{row.node.name}</a>
        <span class="sub">
          {row.node.interface} · {row.node.endpoint}
        </span>
        <TagChips tags={row.node.tags} />
      </th>
      <td>
        {row.status === 'unknown' ? (
          <span class="reason">{unknownReason(row.report?.error)}</span>
        ) : row.status === 'disabled' ? (
          <span class="muted">not scanned</span>
        ) : (
          <DriftCounts summary={row.report?.summary} />
        )}
      </td>
      <td class="num">{row.report?.summary.expected ?? '—'}</td>
      <td>
        <time dateTime={row.report?.checked_at}>{ago(row.report?.checked_at)}</time>
      </td>
      <td class="wide">
        <ScanStrip scans={scans} label={row.node.name} />
      </td>
    </tr>
  );
});
