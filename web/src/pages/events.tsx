import { actorKindValues } from '@wgfleet/client';
import { useState } from 'preact/hooks';
import { api, expectOk } from '../api';
import { Pager, usePages } from '../components/pager';
import { ErrorNote } from '../components/status';
import { dateTime } from '../format';
import { useLoad, usePageHeading } from '../hooks';
import type { ActorKind, EventView } from '../types';

const PAGE_SIZE = 50;
function actorKindOf(value: string): ActorKind | '' {
  return actorKindValues.find((kind) => kind === value) ?? '';
}

export function Events() {
  const heading = usePageHeading('Events');
  const nodes = useLoad(() => expectOk(api.GET('/api/nodes', { params: { query: { limit: 1000 } } })), []);
  const [aggregate, setAggregate] = useState('');
  const [type, setType] = useState('');
  const [actor, setActor] = useState('');
  const [actorKind, setActorKind] = useState<ActorKind | ''>('');
  const pages = usePages();
  const before = pages.cursor;
  const events = useLoad(
    () =>
      expectOk(
        api.GET('/api/events', {
          params: {
            query: {
              aggregate_id: aggregate || undefined,
              type: type || undefined,
              actor: actor || undefined,
              actor_kind: actorKind || undefined,
              order: 'desc',
              before,
              limit: PAGE_SIZE,
            },
          },
        }),
      ),
    [aggregate, type, actor, actorKind, before],
  );
  const names = new Map((nodes.data?.items ?? []).map((node) => [node.id, node.name]));
  const filter = (apply: () => void) => {
    apply();
    pages.restart();
  };

  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title" ref={heading} tabIndex={-1}>
        Events
      </h1>
      <p class="muted">
        Every change of desired state and every repair, newest first; secrets show only as “[encrypted]”.
      </p>
      <form class="toolbar" onSubmit={(event) => event.preventDefault()}>
        <label class="inline">
          Node{' '}
          <select
            value={aggregate}
            onChange={(event) => filter(() => setAggregate(event.currentTarget.value))}
          >
            <option value="">all nodes and peers</option>
            {(nodes.data?.items ?? []).map((node) => (
              <option key={node.id} value={node.id}>
                {node.name}
              </option>
            ))}
          </select>
        </label>
        <label class="inline">
          Peer or node id{' '}
          <input
            value={aggregate}
            placeholder="uuid"
            onChange={(event) => filter(() => setAggregate(event.currentTarget.value.trim()))}
          />
        </label>
        <label class="inline">
          Type{' '}
          <input
            value={type}
            placeholder="e.g. peer.created"
            onChange={(event) => filter(() => setType(event.currentTarget.value.trim()))}
          />
        </label>
        <label class="inline">
          By{' '}
          <input
            value={actor}
            placeholder="user or token id, or a component"
            onChange={(event) => filter(() => setActor(event.currentTarget.value.trim()))}
          />
        </label>
        <label class="inline">
          Kind{' '}
          <select
            value={actorKind}
            onChange={(event) => filter(() => setActorKind(actorKindOf(event.currentTarget.value)))}
          >
            <option value="">anyone</option>
            {actorKindValues.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorNote error={events.error} />
      <table class="events">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Type</th>
            <th scope="col">Of</th>
            <th scope="col">By</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {(events.data?.items ?? []).map((event) => (
            <tr key={event.position}>
              <td class="num">{event.position}</td>
              <td>{dateTime(event.created_at)}</td>
              <td>
                <code>{event.type}</code>
              </td>
              <td>
                <EventSubject event={event} names={names} />
              </td>
              <td>
                {event.actor ? (
                  <button
                    type="button"
                    class="link"
                    title={`only what ${event.actor.name} did`}
                    onClick={() => filter(() => setActor(event.actor?.id ?? ''))}
                  >
                    {event.actor.name}
                  </button>
                ) : (
                  <span class="muted">—</span>
                )}
                {event.actor && (
                  <span class="muted">
                    {' '}
                    {event.actor.kind} via {event.actor.via}
                  </span>
                )}
              </td>
              <td>
                <details>
                  <summary>payload</summary>
                  <pre>{JSON.stringify(event.payload, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager pages={pages} next={events.data?.next} />
    </section>
  );
}

/** What an event is about; a repair names its node, which is what a person looks for. */
function EventSubject({ event, names }: { event: EventView; names: Map<string, string> }) {
  const own = names.get(event.aggregate_id) ?? <code>{event.aggregate_id.slice(0, 8)}</code>;
  if (event.aggregate_type !== 'reconcile_job') {
    return (
      <>
        {event.aggregate_type} {own}
      </>
    );
  }
  const payload = event.payload as { node_id?: unknown; node_name?: unknown };
  const nodeName =
    typeof payload.node_name === 'string'
      ? payload.node_name
      : typeof payload.node_id === 'string'
        ? names.get(payload.node_id)
        : undefined;
  return (
    <>
      repair of node {nodeName ?? '(deleted)'} <span class="muted">job</span> {own}
    </>
  );
}
