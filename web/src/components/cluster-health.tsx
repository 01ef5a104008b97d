import { useState } from 'preact/hooks';
import { api, errorText, expectOk } from '../api';
import { useLoad } from '../hooks';
import type { ClusterMember, ClusterView, MemberPlan } from '../types';
import { ErrorNote } from './status';

/** As often as the health checks run by default: a member's fall shows within a couple of seconds. */
const DNS_POLL_MS = 2000;

/** What DNS answers now for the cluster's endpoint name, beside what the panel published (GET …/dns). */
export function ClusterDnsStatus({ cluster }: { cluster: ClusterView }) {
  const dns = useLoad(
    () => expectOk(api.GET('/api/clusters/{id}/dns', { params: { path: { id: cluster.id } } })),
    [cluster.id],
    DNS_POLL_MS,
  );
  const now = dns.data;
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
      <ErrorNote error={dns.error} />
      {now && (
        <dl class="pairs">
          <dt>Published</dt>
          <dd data-testid="dns-published">{now.published.join(', ') || 'none yet'}</dd>
          <dt>DNS now</dt>
          <dd data-testid="dns-now">
            {now.dns_now === null
              ? `unknown: ${now.error ?? 'not asked'}`
              : now.dns_now.join(', ') || 'no address'}{' '}
            {now.dns_now !== null &&
              (now.in_agreement ? (
                <span class="badge status-in_sync">as published</span>
              ) : (
                <span class="badge status-drift">differs</span>
              ))}
          </dd>
        </dl>
      )}
    </section>
  );
}

/**
 * Drain or undrain one member: the plan (what DNS holds before and after, the steps) is shown first and runs only
 * when confirmed, exactly as reviewed.
 */
export function MemberActions({
  cluster,
  member,
  onChange,
}: {
  cluster: ClusterView;
  member: ClusterMember;
  onChange?: () => void;
}) {
  const [plan, setPlan] = useState<MemberPlan>();
  const [problem, setProblem] = useState<string>();
  const action = member.health === 'draining' ? 'undrain' : 'drain';
  const path = { id: cluster.id, node_id: member.node_id };

  const ask = async () => {
    setProblem(undefined);
    try {
      setPlan(
        await expectOk(
          action === 'drain'
            ? api.POST('/api/clusters/{id}/members/{node_id}/drain', {
                params: { path },
                body: { dry_run: true },
              })
            : api.POST('/api/clusters/{id}/members/{node_id}/undrain', {
                params: { path },
                body: { dry_run: true },
              }),
        ),
      );
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };
  const run = async (reviewed: MemberPlan) => {
    setProblem(undefined);
    try {
      const body = { plan_id: reviewed.plan_id };
      await expectOk(
        reviewed.action === 'drain'
          ? api.POST('/api/clusters/{id}/members/{node_id}/drain', { params: { path }, body })
          : api.POST('/api/clusters/{id}/members/{node_id}/undrain', { params: { path }, body }),
      );
      setPlan(undefined);
      onChange?.();
    } catch (caught) {
      setProblem(errorText(caught));
    }
  };

  if (plan) {
    return (
      <div class="member-plan" data-testid="member-plan">
        <p>
          {plan.action === 'drain' ? 'Drain' : 'Undrain'}: DNS {plan.addresses_before.join(', ') || 'none'} →{' '}
          <strong>{plan.addresses_after.join(', ') || 'none'}</strong>
        </p>
        <ol>
          {plan.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
        <ErrorNote error={problem} />
        <button type="button" class="primary" onClick={() => void run(plan)}>
          Confirm {plan.action}
        </button>
        <button type="button" onClick={() => setPlan(undefined)}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <>
      <button type="button" onClick={() => void ask()}>
        {action === 'drain' ? 'Drain…' : 'Undrain…'}
      </button>
      <ErrorNote error={problem} />
    </>
  );
}
