import { useEffect, useState } from 'preact/hooks';
import { api, errorText, expectOk, isPlanAnswer, isQueuedJob, WgfleetApiError } from '../api';
import { keptNote, PLAN_VALUES_LABEL, shortKey, showValue, unknownKeptNote } from '../format';
import { ErrorNote } from './status';
import type { ReconcileJob, ReconcileOptions, ReconcilePlan } from '../types';

const DEFAULT_OPTIONS: ReconcileOptions = {
  reconcile_missing: true,
  reconcile_mismatched: true,
  remove_orphaned: true,
  remove_unknown: false,
  mode: 'batch',
};

const OPTION_LABELS: [keyof Omit<ReconcileOptions, 'mode'>, string][] = [
  ['reconcile_missing', 'Add missing peers'],
  ['reconcile_mismatched', 'Fix mismatched peers and the listen port'],
  ['remove_orphaned', 'Remove orphaned peers'],
  ['remove_unknown', 'Remove unknown peers (never managed here)'],
];

type Stage =
  | { kind: 'idle' }
  | { kind: 'planning' }
  | { kind: 'plan'; planId: string; plan: ReconcilePlan; planned: ReconcileOptions; moved?: boolean }
  | { kind: 'applying'; planId: string; plan: ReconcilePlan; planned: ReconcileOptions }
  | { kind: 'job'; jobId: string; plan: ReconcilePlan };

function planSize(plan: ReconcilePlan): number {
  return plan.add.length + plan.update.length + plan.remove.length + (plan.interface?.length ?? 0);
}

/**
 * Plan repair → review the dry-run plan as a diff → apply exactly it → follow the job to its end.
 * `unknownPeers`: how many peers the node has that the panel never managed (undefined while not known).
 */
export function PlanRepair({
  nodeId,
  unknownPeers,
  onDone,
}: {
  nodeId: string;
  unknownPeers?: number;
  onDone: () => void;
}) {
  const [options, setOptions] = useState(DEFAULT_OPTIONS);
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [error, setError] = useState<string>();
  const unknownNote = options.remove_unknown ? null : unknownKeptNote(unknownPeers ?? 0);

  const makePlan = async (moved = false) => {
    setError(undefined);
    setStage({ kind: 'planning' });
    try {
      const answer = await expectOk(
        api.POST('/api/drift/nodes/{id}/reconcile', {
          params: { path: { id: nodeId } },
          body: { ...options, dry_run: true, allow_empty: false },
        }),
      );
      if (!isPlanAnswer(answer)) throw new Error('the panel answered a dry run without a plan');
      setStage({ kind: 'plan', planId: answer.plan_id, plan: answer.plan, planned: options, moved });
    } catch (caught) {
      setError(errorText(caught));
      setStage({ kind: 'idle' });
    }
  };

  const apply = async (planId: string, plan: ReconcilePlan, planned: ReconcileOptions) => {
    setError(undefined);
    setStage({ kind: 'applying', planId, plan, planned });
    try {
      const answer = await expectOk(
        api.POST('/api/drift/nodes/{id}/reconcile', {
          params: { path: { id: nodeId } },
          body: { ...planned, plan_id: planId, dry_run: false, allow_empty: false },
        }),
      );
      if (!isQueuedJob(answer)) throw new Error('the panel answered a repair without its job');
      setStage({ kind: 'job', jobId: answer.job_id, plan });
    } catch (caught) {
      if (caught instanceof WgfleetApiError && caught.status === 409) {
        await makePlan(true);
        return;
      }
      setError(errorText(caught));
      setStage({ kind: 'plan', planId, plan, planned });
    }
  };

  return (
    <section class="card repair" aria-labelledby="repair-title">
      <h2 id="repair-title">Repair</h2>
      <fieldset class="options" disabled={stage.kind === 'planning' || stage.kind === 'applying'}>
        <legend>What the repair may do</legend>
        {OPTION_LABELS.map(([key, label]) => (
          <div key={key} class="option">
            <label class="check">
              <input
                type="checkbox"
                checked={options[key]}
                aria-describedby={key === 'remove_unknown' && unknownNote ? 'unknown-kept' : undefined}
                onChange={(event) => setOptions({ ...options, [key]: event.currentTarget.checked })}
              />{' '}
              {label}
            </label>
            {key === 'remove_unknown' && unknownNote && (
              <small id="unknown-kept" class="option-note" data-testid="unknown-kept">
                {unknownNote}
              </small>
            )}
          </div>
        ))}
        <label class="inline">
          Mode{' '}
          <select
            value={options.mode}
            onChange={(event) =>
              setOptions({ ...options, mode: event.currentTarget.value as ReconcileOptions['mode'] })
            }
          >
            <option value="batch">batch (one call, per-peer results)</option>
            <option value="peer">peer (one call per peer)</option>
            <option value="syncconf">syncconf (atomic)</option>
          </select>
        </label>
      </fieldset>
      <div class="actions">
        <button type="button" class="primary" onClick={() => makePlan()} disabled={stage.kind === 'planning'}>
          {stage.kind === 'planning' ? 'Planning…' : stage.kind === 'plan' ? 'Plan again' : 'Plan repair'}
        </button>
      </div>
      <ErrorNote error={error} />
      {(stage.kind === 'plan' || stage.kind === 'applying') && (
        <div class="plan-review" data-testid="plan-review">
          {stage.kind === 'plan' && stage.moved && (
            <p class="alert alert-warn" role="alert">
              The node moved since the last plan was made, so it was not applied. This is a new plan for its
              state now: review it again.
            </p>
          )}
          <PlanDiff plan={stage.plan} />
          <div class="actions">
            <button
              type="button"
              class="primary danger-ish"
              onClick={() => apply(stage.planId, stage.plan, stage.planned)}
              disabled={stage.kind === 'applying' || planSize(stage.plan) === 0}
            >
              {stage.kind === 'applying' ? 'Applying…' : 'Apply this plan'}
            </button>
            <span class="muted small">
              plan {stage.planId.slice(0, 8)} · applied exactly, or refused if the node moved
            </span>
          </div>
        </div>
      )}
      {stage.kind === 'job' && (
        <>
          <PlanDiff plan={stage.plan} />
          <JobProgress jobId={stage.jobId} onFinished={onDone} />
        </>
      )}
    </section>
  );
}

export function PlanDiff({ plan }: { plan: ReconcilePlan }) {
  const kept = keptNote(plan);
  const cannotRestore = plan.cannot_restore ?? [];
  if (planSize(plan) === 0 && cannotRestore.length === 0) {
    return (
      <p class={`alert ${kept ? 'alert-warn' : 'alert-ok'}`} role="status">
        {kept
          ? `Nothing to change with these options, but the node still drifts: ${kept}.`
          : 'Nothing to change: with these options the node already matches.'}
      </p>
    );
  }
  return (
    <>
      <p class="muted small diff-legend">Values read {PLAN_VALUES_LABEL}.</p>
      <div class="diff" role="list" aria-label="Planned changes">
        {plan.add.map((peer) => (
          <div role="listitem" class="diff-line diff-add" key={`a${peer.public_key}`}>
            <span class="sign" aria-hidden="true">
              +
            </span>
            <span class="sr-only">add</span>
            <strong>{peer.name}</strong> <code>{shortKey(peer.public_key)}</code>{' '}
            {peer.allowed_ips.join(', ')}
            <span class="muted">
              {' '}
              keepalive {peer.persistent_keepalive}
              {peer.has_preshared_key ? ' · preshared key' : ''}
            </span>
          </div>
        ))}
        {plan.update.map((peer) => (
          <div role="listitem" class="diff-line diff-update" key={`u${peer.public_key}`}>
            <span class="sign" aria-hidden="true">
              ~
            </span>
            <span class="sr-only">update</span>
            <strong>{peer.name}</strong> <code>{shortKey(peer.public_key)}</code>
            {peer.changes.map((change) => (
              <span class="change" key={change.field}>
                <PlannedValues change={change} />
              </span>
            ))}
          </div>
        ))}
        {(plan.interface ?? []).map((change) => (
          <div role="listitem" class="diff-line diff-update" key={`i${change.field}`}>
            <span class="sign" aria-hidden="true">
              ~
            </span>
            <span class="sr-only">update</span>
            <strong>interface</strong>
            <span class="change">
              <PlannedValues change={change} />
            </span>
          </div>
        ))}
        {plan.remove.map((peer) => (
          <div role="listitem" class="diff-line diff-remove" key={`r${peer.public_key}`}>
            <span class="sign" aria-hidden="true">
              −
            </span>
            <span class="sr-only">remove</span>
            <strong>{peer.name ?? 'unnamed peer'}</strong> <code>{shortKey(peer.public_key)}</code>
            <span class="muted"> {peer.reason}</span>
          </div>
        ))}
        {cannotRestore.map((peer) => (
          <div role="listitem" class="diff-line diff-blocked" key={`c${peer.public_key}`}>
            <span class="sign" aria-hidden="true">
              !
            </span>
            <strong>{peer.name}</strong> <code>{shortKey(peer.public_key)}</code> cannot restore:{' '}
            {peer.reason}
            <span class="muted">
              {' '}
              — not applied; set a new key with the peer's <a href="/peers">preshared-key action</a>, or
              restore the peer on the node
            </span>
          </div>
        ))}
      </div>
      {kept && (
        <p class="alert alert-warn" role="status" data-testid="plan-kept">
          {kept}.
        </p>
      )}
    </>
  );
}

/** `field: now → after`: the node's value now, struck out, then its value after the repair. */
function PlannedValues({ change }: { change: { field: string; from: unknown; to: unknown } }) {
  return (
    <>
      <code class="fname">{change.field}</code>: <del>{showValue(change.from)}</del>{' '}
      <span aria-hidden="true">→</span>
      <span class="sr-only">becomes</span> <ins>{showValue(change.to)}</ins>
    </>
  );
}

const JOB_POLL_MS = 700;

export function JobProgress({ jobId, onFinished }: { jobId: string; onFinished: () => void }) {
  const [job, setJob] = useState<ReconcileJob>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const current = await expectOk(
          api.GET('/api/reconcile/jobs/{id}', { params: { path: { id: jobId } } }),
        );
        if (stopped) return;
        setJob(current);
        if (current.status === 'succeeded' || current.status === 'failed') {
          onFinished();
          return;
        }
      } catch (caught) {
        if (!stopped) setError(errorText(caught));
      }
      if (!stopped) timer = setTimeout(poll, JOB_POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId]);

  const status = job?.status ?? 'queued';
  const steps = ['queued', 'running', status === 'failed' ? 'failed' : 'succeeded'];
  const reached = status === 'queued' ? 0 : status === 'running' ? 1 : 2;
  return (
    <div class={`job job-${status}`} data-testid="job" data-status={status} aria-live="polite">
      <ol class="steps">
        {steps.map((step, index) => (
          <li
            key={step}
            class={index <= reached ? 'done' : ''}
            aria-current={index === reached ? 'step' : undefined}
          >
            {step}
          </li>
        ))}
      </ol>
      {error && <p class="alert alert-error">{error}</p>}
      {job?.result && (
        <div class="job-result">
          <p>
            {job.result.added.length} added · {job.result.updated.length} updated ·{' '}
            {job.result.removed.length} removed ·{' '}
            {job.result.verified ? 'verified on the node' : 'not verified'}
          </p>
          {job.result.errors.length > 0 && (
            <ul class="errors" aria-label="Per-peer errors">
              {job.result.errors.map((item) => (
                <li key={item.public_key + item.operation}>
                  <code>{shortKey(item.public_key)}</code> {item.operation}: {item.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {job?.error && <p class="alert alert-error">{job.error}</p>}
    </div>
  );
}
