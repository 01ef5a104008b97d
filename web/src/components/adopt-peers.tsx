import { NamesMappingError, parseNamesMapping, type Schemas } from '@wgfleet/client';
import { useState } from 'preact/hooks';
import { api, errorText, expectOk, isPlanAnswer, WgfleetApiError } from '../api';
import { shortKey } from '../format';
import { ErrorNote } from './status';

type AdoptionPlan = Schemas['AdoptionPlanView'];
type AdoptionResult = Schemas['AdoptionResultView'];
type Names = Record<string, string>;

type Stage =
  | { kind: 'idle' }
  | { kind: 'planning' }
  | { kind: 'plan'; planId: string; plan: AdoptionPlan; moved?: boolean }
  | { kind: 'adopting'; planId: string; plan: AdoptionPlan }
  | { kind: 'done'; result: AdoptionResult };

/** The field of a 400 about one name (`names.<public key>`), so its input can be marked. */
function keyOfNameProblem(error: unknown): string | undefined {
  if (!(error instanceof WgfleetApiError)) return undefined;
  const field = error.fieldProblems.find((problem) => problem.field.startsWith('names.'))?.field;
  return field?.slice('names.'.length);
}

/**
 * Adopting the peers a node has and the panel never managed: "Adopt N peers" makes the dry-run plan (with its
 * conflicts), where every peer's name can be changed, one by one or all at once from a CSV or YAML mapping of
 * public key → name; "Adopt these" adopts exactly that plan, and a 409 makes and shows a new one.
 */
export function AdoptPeers({
  nodeId,
  unknownPeers,
  onDone,
}: {
  nodeId: string;
  unknownPeers: number;
  onDone: () => void;
}) {
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [names, setNames] = useState<Names>({});
  const [mapping, setMapping] = useState('');
  const [error, setError] = useState<string>();
  const [invalidKey, setInvalidKey] = useState<string>();

  const fail = (caught: unknown) => {
    setError(errorText(caught));
    setInvalidKey(keyOfNameProblem(caught));
  };

  const makePlan = async (given: Names, moved = false) => {
    setError(undefined);
    setInvalidKey(undefined);
    setStage({ kind: 'planning' });
    try {
      const answer = await expectOk(
        api.POST('/api/nodes/{id}/adopt', {
          params: { path: { id: nodeId } },
          body: { dry_run: true, names: given },
        }),
      );
      if (!isPlanAnswer(answer)) throw new Error('the panel answered an adoption dry run without a plan');
      setNames(namesOf(answer.plan));
      setStage({ kind: 'plan', planId: answer.plan_id, plan: answer.plan, moved });
    } catch (caught) {
      fail(caught);
      setStage({ kind: 'idle' });
    }
  };

  const adopt = async (planId: string, plan: AdoptionPlan) => {
    setError(undefined);
    setInvalidKey(undefined);
    setStage({ kind: 'adopting', planId, plan });
    try {
      const result = await expectOk(
        api.POST('/api/nodes/{id}/adopt', {
          params: { path: { id: nodeId } },
          body: { plan_id: planId, names },
        }),
      );
      if (isPlanAnswer(result))
        throw new Error('the panel answered an adoption with a plan instead of its result');
      setStage({ kind: 'done', result });
      setNames({});
      onDone();
    } catch (caught) {
      if (caught instanceof WgfleetApiError && caught.status === 409) {
        await makePlan(names, true);
        return;
      }
      fail(caught);
      setStage({ kind: 'plan', planId, plan });
    }
  };

  /** Fills the names from the pasted mapping; keys of no peer in the plan are left out, and said so. */
  const applyMapping = () => {
    setError(undefined);
    let read: Names;
    try {
      read = parseNamesMapping(mapping);
    } catch (caught) {
      setError(caught instanceof NamesMappingError ? `Names: ${caught.message}` : errorText(caught));
      return;
    }
    const known = Object.entries(read).filter(([key]) => key in names);
    setNames({ ...names, ...Object.fromEntries(known) });
    const unused = Object.keys(read).length - known.length;
    if (unused > 0)
      setError(`${unused} of the names are for keys that are no peer of this plan; they were left out.`);
  };

  const loadFile = async (file: File | undefined) => {
    if (file) setMapping(await file.text());
  };

  if (unknownPeers === 0 && (stage.kind === 'idle' || stage.kind === 'planning')) return null;
  const busy = stage.kind === 'planning' || stage.kind === 'adopting';
  const adoptable =
    stage.kind === 'plan' || stage.kind === 'adopting' ? stage.plan.adopt.filter(canAdopt) : [];

  return (
    <section class="card adopt" aria-labelledby="adopt-title">
      <h2 id="adopt-title">Adopt</h2>
      <p class="muted">
        Peers the node has and the panel never managed can be adopted as they are: the panel records them and
        reserves their addresses; nothing is written to the node.
      </p>
      {(unknownPeers > 0 || stage.kind === 'plan') && (
        <div class="actions">
          <button type="button" class="primary" onClick={() => makePlan(names)} disabled={busy}>
            {stage.kind === 'planning'
              ? 'Planning…'
              : stage.kind === 'plan'
                ? 'Plan again'
                : `Adopt ${unknownPeers} peer${unknownPeers === 1 ? '' : 's'}`}
          </button>
        </div>
      )}
      <ErrorNote error={error} />
      {(stage.kind === 'plan' || stage.kind === 'adopting') && (
        <div class="plan-review" data-testid="adopt-plan">
          {stage.kind === 'plan' && stage.moved && (
            <p class="alert alert-warn" role="alert">
              The node moved since the last plan was made, so nothing was adopted. This is a new plan for its
              state now: review it again.
            </p>
          )}
          <details class="names-mapping">
            <summary>Names from a file (CSV or YAML)</summary>
            <p class="muted small">
              One peer a line: <code>public_key,name</code> or <code>public_key: name</code>.
            </p>
            <textarea
              aria-label="Names mapping"
              rows={4}
              value={mapping}
              onInput={(event) => setMapping(event.currentTarget.value)}
            />
            <div class="actions">
              <input
                type="file"
                aria-label="Names file"
                accept=".csv,.yaml,.yml,.txt,text/csv"
                onChange={(event) => loadFile(event.currentTarget.files?.[0])}
              />
              <button type="button" onClick={applyMapping} disabled={busy}>
                Use these names
              </button>
            </div>
          </details>
          <table class="adopt-plan">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Public key</th>
                <th scope="col">Allowed IPs</th>
              </tr>
            </thead>
            <tbody>
              {stage.plan.adopt.map((entry) =>
                canAdopt(entry) ? (
                  <tr key={entry.public_key} class="adopt-row">
                    <td>
                      <input
                        aria-label={`Name of ${shortKey(entry.public_key)}`}
                        aria-invalid={invalidKey === entry.public_key ? 'true' : undefined}
                        value={names[entry.public_key] ?? ''}
                        maxLength={100}
                        onInput={(event) =>
                          setNames({ ...names, [entry.public_key]: event.currentTarget.value })
                        }
                      />
                    </td>
                    <td>
                      <code title={entry.public_key}>{shortKey(entry.public_key)}</code>
                    </td>
                    <td>
                      {entry.allowed_ips.join(', ')}
                      {entry.has_preshared_key ? <span class="muted"> · preshared key</span> : null}
                    </td>
                  </tr>
                ) : (
                  <tr key={entry.public_key} class="conflict-row">
                    <td class="muted">cannot be adopted</td>
                    <td>
                      <code title={entry.public_key}>{shortKey(entry.public_key)}</code>
                    </td>
                    <td class="reason">{entry.conflict}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
          <div class="actions">
            <button
              type="button"
              class="primary"
              onClick={() => adopt(stage.planId, stage.plan)}
              disabled={busy || adoptable.length === 0}
            >
              {stage.kind === 'adopting' ? 'Adopting…' : `Adopt these ${adoptable.length}`}
            </button>
            <span class="muted small">
              plan {stage.planId.slice(0, 8)} · adopted exactly, or refused if the node moved
            </span>
          </div>
        </div>
      )}
      {stage.kind === 'done' && (
        <div class="alert alert-ok" role="status" data-testid="adopt-result">
          <p>
            Adopted {stage.result.adopted.length} peer{stage.result.adopted.length === 1 ? '' : 's'}
            {stage.result.skipped.length > 0 ? `; ${stage.result.skipped.length} skipped` : ''}.
          </p>
          {stage.result.skipped.length > 0 && (
            <ul class="errors" aria-label="Skipped peers">
              {stage.result.skipped.map((item) => (
                <li key={item.public_key}>
                  <code>{shortKey(item.public_key)}</code> {item.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

function canAdopt(entry: AdoptionPlan['adopt'][number]): boolean {
  return entry.conflict === undefined;
}

function namesOf(plan: AdoptionPlan): Names {
  return Object.fromEntries(
    plan.adopt.flatMap((entry) => (canAdopt(entry) ? [[entry.public_key, entry.name ?? '']] : [])),
  );
}
