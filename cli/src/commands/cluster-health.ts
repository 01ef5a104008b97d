import { expectOk, WgfleetApiError } from '@wgfleet/client';
import { Command } from 'commander';
import type { ClusterDnsNow, ClusterView, MemberPlan } from '../api-types';
import { CliError, EXIT } from '../exit-codes';
import { Output, withOutputOption } from '../output';
import { examples, Runtime } from '../runtime';

interface PlanOptions {
  yes?: boolean;
}

/**
 * `wgfleet cluster status|drain|undrain` (docs/API.md, "Cluster health"). Added to the `cluster` command whichever
 * module registers that first. `status` exits 2 when DNS does not answer what the panel published; a plan that
 * no longer matches the cluster exits 4, as a stale reconcile plan does.
 */
export function registerClusterHealthCommands(program: Command, runtime: Runtime): void {
  const cluster =
    program.commands.find((command) => command.name() === 'cluster') ??
    program.command('cluster').description('clusters: nodes sharing one endpoint name and one WireGuard key');

  const status = withOutputOption(
    cluster
      .command('status')
      .description(
        "members' health, what the panel published and what DNS answers now (exit 2 if they differ)",
      )
      .argument('<cluster>', 'cluster id or name'),
  );
  examples(
    status,
    'wgfleet cluster status edge',
    'wgfleet cluster status edge -o json | jq .dns.in_agreement',
  );
  status.action(
    runtime.act(async (ref: string, _options: object, command: Command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const found = await panel.resolveCluster(ref);
      const dns = await expectOk(
        panel.client.GET('/api/clusters/{id}/dns', { params: { path: { id: found.id } } }),
      );
      const nodes = new Map((await panel.listNodes()).map((node) => [node.id, node]));
      if (out.json) out.printJson({ cluster: found, dns });
      else printStatus(out, found, dns, nodes);
      return dns.in_agreement ? EXIT.ok : EXIT.changes;
    }),
  );

  for (const action of ['drain', 'undrain'] as const) {
    const planned = withOutputOption(
      cluster
        .command(action)
        .description(
          action === 'drain'
            ? 'take a member out of DNS, wait for its clients to leave, then leave it in maintenance: shows the plan, runs it with --yes'
            : 'end a member’s maintenance: it is published again once healthy; shows the plan, runs it with --yes',
        )
        .argument('<cluster>', 'cluster id or name')
        .argument('<node>', 'member node id or name')
        .option('-y, --yes', 'run the plan shown (else only show it)'),
    );
    examples(planned, `wgfleet cluster ${action} edge edge-2`, `wgfleet cluster ${action} edge edge-2 --yes`);
    planned.action(
      runtime.act(async (clusterRef: string, nodeRef: string, options: PlanOptions, command: Command) => {
        const panel = await runtime.panel(command);
        const out = runtime.out(command);
        const found = await panel.resolveCluster(clusterRef);
        const node = await panel.resolveNode(nodeRef);
        const path = { id: found.id, node_id: node.id };
        const route = `/api/clusters/{id}/members/{node_id}/${action}` as const;
        const plan = await expectOk(panel.client.POST(route, { params: { path }, body: { dry_run: true } }));
        if (!options.yes) {
          if (out.json) out.printJson(plan);
          else {
            printPlan(out, plan, node.name);
            out.note(
              `nothing changed; run it with: wgfleet cluster ${action} ${found.name} ${node.name} --yes`,
            );
          }
          return EXIT.ok;
        }
        if (!out.json) printPlan(out, plan, node.name);
        try {
          const done = await expectOk(
            panel.client.POST(route, { params: { path }, body: { plan_id: plan.plan_id } }),
          );
          out.result(`${action} of ${node.name} done`, done);
          return EXIT.ok;
        } catch (error) {
          if (error instanceof WgfleetApiError && error.status === 409) {
            throw new CliError(`${error.message}; plan again`, EXIT.stalePlan);
          }
          throw error;
        }
      }),
    );
  }
}

function printStatus(
  out: Output,
  cluster: ClusterView,
  dns: ClusterDnsNow,
  nodes: ReadonlyMap<string, { name: string; endpoint: string }>,
): void {
  out.line(
    `${cluster.name}  ${cluster.endpoint_host}:${cluster.endpoint_port}  (${dns.provider ?? 'no DNS provider'})`,
  );
  out.table(
    ['MEMBER', 'ENDPOINT', 'HEALTH', 'PUBLISHED'],
    cluster.members.map((member) => [
      nodes.get(member.node_id)?.name ?? member.node_id,
      nodes.get(member.node_id)?.endpoint ?? '',
      member.health === 'healthy'
        ? out.color.green(member.health)
        : member.health === 'draining'
          ? out.color.yellow(member.health)
          : out.color.red(member.health),
      member.published ? 'yes' : 'no',
    ]),
  );
  out.line(`published: ${dns.published.join(', ') || '(none)'}`);
  const now =
    dns.dns_now === null ? `unknown (${dns.error ?? 'not asked'})` : dns.dns_now.join(', ') || '(none)';
  out.line(
    `DNS now:   ${now}${dns.in_agreement ? '' : out.color.yellow('  ← differs from what was published')}`,
  );
}

function printPlan(out: Output, plan: MemberPlan, nodeName: string): void {
  out.line(`${plan.action} ${nodeName} (plan ${plan.plan_id})`);
  out.line(`DNS now:   ${plan.addresses_before.join(', ') || '(none)'}`);
  out.line(`DNS after: ${plan.addresses_after.join(', ') || '(none)'}`);
  plan.steps.forEach((step, i) => out.line(`  ${i + 1}. ${step}`));
}
