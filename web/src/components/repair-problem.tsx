import { api, expectOk } from '../api';
import { ago, dateTime, shortKey } from '../format';
import { useLoad } from '../hooks';

const PROBLEM_POLL_MS = 10000;

function peersText(count: number): string {
  return count === 1 ? '1 peer' : `${count} peers`;
}

/**
 * The node's latest finished repair (self-heal or by hand) when it failed or left peers with errors, its
 * per-peer errors grouped so nine identical failures read as one line. Nothing when the latest repair went well.
 */
export function LatestRepairProblem({ nodeId }: { nodeId: string }) {
  const problem = useLoad(
    () =>
      expectOk(
        api.GET('/api/drift/nodes/{id}/reconcile/latest-problem', { params: { path: { id: nodeId } } }),
      ),
    [nodeId],
    PROBLEM_POLL_MS,
  );
  const job = problem.data?.job;
  if (!job) return null;
  const groups = problem.data?.error_groups ?? [];
  const who = job.trigger === 'auto' ? 'Self-heal' : 'Repair';
  return (
    <section class="card repair-problem" aria-labelledby="repair-problem-title" data-testid="repair-problem">
      <h2 id="repair-problem-title">
        {who} {job.status === 'failed' ? 'failed' : 'left peers behind'}
      </h2>
      <p class="muted small">
        job <code>{job.id.slice(0, 8)}</code> · finished{' '}
        <time dateTime={job.finished_at ?? undefined} title={dateTime(job.finished_at)}>
          {ago(job.finished_at)}
        </time>
        {job.result && (
          <>
            {' '}
            · {job.result.added.length} added, {job.result.updated.length} updated,{' '}
            {job.result.removed.length} removed
          </>
        )}
      </p>
      {job.error && <p class="alert alert-error">{job.error}</p>}
      <ul class="error-groups">
        {groups.map((group) => (
          <li key={`${group.operation}\n${group.message}`}>
            <strong>{peersText(group.public_keys.length)}</strong>{' '}
            <span class="muted">({group.operation})</span>: {group.message}
            <details>
              <summary>which peers</summary>
              {group.public_keys.map((key) => (
                <code key={key} class="key-chip">
                  {shortKey(key)}
                </code>
              ))}
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
