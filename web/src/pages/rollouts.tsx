import { useState } from 'preact/hooks';
import { api, errorText, expectOk } from '../api';
import { ErrorNote } from '../components/status';
import { dateTime } from '../format';
import { useLoad, usePageHeading } from '../hooks';
import type { RolloutCommand, RolloutView } from '../types';

/** A running rollout changes every few seconds: its page follows it. */
const LIVE_MS = 2000;

export function Rollouts() {
  const heading = usePageHeading('Rollouts');
  const rollouts = useLoad(() => expectOk(api.GET('/api/rollouts')), [], LIVE_MS);
  return (
    <section aria-labelledby="rollouts-title">
      <h1 id="rollouts-title" ref={heading} tabIndex={-1}>
        Rollouts
      </h1>
      <ErrorNote error={rollouts.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Rollout</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Waves passed</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {(rollouts.data?.rollouts ?? []).map((rollout) => (
            <tr key={rollout.id}>
              <th scope="row">
                <a href={`/rollouts/${rollout.id}`}>{rollout.id.slice(0, 8)}</a>
              </th>
              <td>{rollout.kind}</td>
              <td>
                <span class={`rollout rollout-${rollout.status}`}>{rollout.status}</span>
              </td>
              <td>
                {rollout.waves.filter((wave) => wave.status === 'passed').length} / {rollout.waves.length}
              </td>
              <td>{dateTime(rollout.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** What each button does, for its confirmation: every one of them changes nodes or stops changing them. */
const COMMANDS: Array<{ command: RolloutCommand; label: string; confirm: string; allowed: string[] }> = [
  {
    command: 'start',
    label: 'Start',
    confirm: 'Start the rollout? Its first wave is applied at once.',
    allowed: ['planned'],
  },
  {
    command: 'pause',
    label: 'Pause',
    confirm: 'Pause after the current step?',
    allowed: ['running', 'rolling_back'],
  },
  {
    command: 'resume',
    label: 'Resume',
    confirm: 'Resume? A halted wave runs its gates again.',
    allowed: ['paused', 'halted'],
  },
  {
    command: 'rollback',
    label: 'Roll back',
    confirm: 'Roll back? The changed nodes get their previous template version, last wave first.',
    allowed: ['running', 'paused', 'halted', 'completed', 'aborted'],
  },
  {
    command: 'abort',
    label: 'Abort',
    confirm: 'Abort? Nothing more is applied; changed nodes stay changed.',
    allowed: ['planned', 'running', 'paused', 'halted'],
  },
];

export function RolloutPage({ id }: { id: string }) {
  const rollout = useLoad(
    () => expectOk(api.GET('/api/rollouts/{id}', { params: { path: { id } } })),
    [id],
    LIVE_MS,
  );
  const heading = usePageHeading(rollout.data ? `Rollout ${id.slice(0, 8)}` : undefined);
  const [problem, setProblem] = useState<string>();
  const data = rollout.data;

  const run = async (command: (typeof COMMANDS)[number]) => {
    if (!confirm(command.confirm)) return;
    setProblem(undefined);
    try {
      await expectOk(api.POST(`/api/rollouts/{id}/${command.command}`, { params: { path: { id } } }));
      void rollout.reload();
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };

  return (
    <section aria-labelledby="rollout-title">
      <h1 id="rollout-title" ref={heading} tabIndex={-1}>
        Rollout {id.slice(0, 8)}
      </h1>
      <ErrorNote error={rollout.error} />
      <ErrorNote error={problem} />
      {data && (
        <>
          <p aria-live="polite">
            <span class={`rollout rollout-${data.status}`}>{data.status}</span> · {data.kind} · bake{' '}
            {data.options.bake_s} s · at least {data.options.min_traffic_retention} % of active peers
            {data.current_wave !== null && ` · wave ${data.current_wave} ${data.phase ?? ''}`}
          </p>
          {data.halt && <HaltNote rollout={data} />}
          <div class="toolbar">
            {COMMANDS.filter((command) => command.allowed.includes(data.status)).map((command) => (
              <button
                key={command.command}
                type="button"
                class={command.command === 'abort' || command.command === 'rollback' ? 'danger' : 'primary'}
                onClick={() => run(command)}
              >
                {command.label}
              </button>
            ))}
          </div>
          <Waves rollout={data} />
          <h2>Nodes</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Wave</th>
                <th scope="col">Plan</th>
                <th scope="col">Status</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {data.nodes.map((node) => (
                <tr key={node.node_id}>
                  <th scope="row">
                    <a href={`/nodes/${node.node_id}`}>{node.node_id.slice(0, 8)}</a>
                  </th>
                  <td>{node.wave}</td>
                  <td>
                    <code>{node.plan_id.slice(0, 8)}</code>
                  </td>
                  <td>{node.status}</td>
                  <td>
                    {node.result
                      ? `${node.result.status}${node.result.error ? `: ${node.result.error}` : ''}`
                      : '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function HaltNote({ rollout }: { rollout: RolloutView }) {
  const halt = rollout.halt!;
  return (
    <p class="alert alert-error" role="alert">
      Halted at wave {halt.wave}
      {halt.node_id && (
        <>
          {' '}
          on node <a href={`/nodes/${halt.node_id}`}>{halt.node_id.slice(0, 8)}</a>
        </>
      )}
      , {halt.gate} gate: {halt.reason}
    </p>
  );
}

function Waves({ rollout }: { rollout: RolloutView }) {
  return (
    <>
      <h2>Waves</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Wave</th>
            <th scope="col">Nodes</th>
            <th scope="col">Status</th>
            <th scope="col">In sync</th>
            <th scope="col">Agents</th>
            <th scope="col">Traffic</th>
          </tr>
        </thead>
        <tbody>
          {rollout.waves.map((wave) => (
            <tr key={wave.index}>
              <th scope="row">{wave.index}</th>
              <td>{wave.node_ids.length}</td>
              <td>{wave.status}</td>
              <td title={wave.gates?.sync.detail}>{wave.gates?.sync.verdict ?? '–'}</td>
              <td title={wave.gates?.agent.detail}>{wave.gates?.agent.verdict ?? '–'}</td>
              <td>
                {wave.gates?.traffic ? `${wave.gates.traffic.verdict}: ${wave.gates.traffic.detail}` : '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
