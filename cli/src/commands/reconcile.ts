import { reconcileModeValues } from '@wgfleet/client';
import { Command, Option } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import type { ReconcileJob, ReconcileMode, ReconcileOptions, ReconcilePlan } from '../api-types';
import { CliError, EXIT } from '../exit-codes';
import { Output, withOutputOption } from '../output';
import { isStalePlan, PanelApi } from '../panel-api';
import {
  checkPlanTarget,
  keptNote,
  parsePlanFile,
  PLAN_FILE_FORMAT,
  PlanFile,
  planIsEmpty,
} from '../plan-file';
import { startProgress } from '../progress';
import { examples, Runtime } from '../runtime';
import { positiveNumber } from './drift';
import { makeSavedPlan } from './saved-plan';
import { PLAN_VALUES_LABEL, planValues, shortKey } from './format';

interface PlanOptions {
  mode?: ReconcileMode;
  removeUnknown?: boolean;
  keepOrphaned?: boolean;
}

function withPlanOptions(command: Command): Command {
  return command
    .addOption(new Option('--mode <mode>', 'how the job applies the plan').choices(reconcileModeValues))
    .option('--remove-unknown', 'also remove peers the panel never managed')
    .option('--keep-orphaned', 'keep peers the panel deleted or disabled');
}

function reconcileOptions(options: PlanOptions): ReconcileOptions {
  return {
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.removeUnknown ? { remove_unknown: true } : {}),
    ...(options.keepOrphaned ? { remove_orphaned: false } : {}),
  };
}

export function registerReconcileCommands(program: Command, runtime: Runtime): void {
  const plan = withPlanOptions(
    program
      .command('plan')
      .description('a dry-run reconcile of one node: what apply would change; nothing changes now')
      .argument('<node>', 'node id or name')
      .option('-o, --out <file>', 'save the plan for `wgfleet apply --plan` (json: print it on stdout)')
      .option(
        '--exit-code',
        'exit 2 when applying the plan would change the node, else 0; it follows the plan, not drift: ' +
          'unknown peers the plan keeps do not count (adopt them or --remove-unknown)',
      ),
  );
  examples(plan, 'wgfleet plan edge-1 -o plan.json', 'wgfleet plan edge-1 -o json | jq .plan');
  plan.action(
    runtime.act(
      async (nodeRef: string, options: PlanOptions & { out?: string; exitCode?: boolean }, command) => {
        const panel = await runtime.panel(command);
        const out = runtime.out(command);
        const saved = await makePlan(panel, nodeRef, options);
        if (options.out === 'json' || options.out === '-') out.printJson(saved);
        else {
          printPlan(out, saved.plan, saved.node_name);
          if (options.out) {
            await writeFile(options.out, JSON.stringify(saved, null, 2) + '\n');
            out.note(
              `plan ${saved.plan_id} saved to ${options.out}; apply it with: wgfleet apply ${saved.node_name} --plan ${options.out}`,
            );
          }
        }
        return options.exitCode && !planIsEmpty(saved.plan) ? EXIT.changes : EXIT.ok;
      },
    ),
  );

  const apply = withOutputOption(
    withPlanOptions(
      program
        .command('apply')
        .description(
          'apply a saved plan to its node exactly (exit 4 when the node moved since), or plan and apply',
        )
        .argument('<node>', 'node id or name')
        .option('--plan <file>', 'a plan saved by `wgfleet plan -o <file>`')
        .option('--auto-approve', 'make a plan, show it and apply it at once')
        .option('--no-wait', 'queue the job and print its id without waiting for it')
        .option('--timeout <seconds>', 'how long to wait for the job', positiveNumber, 300),
    ),
  );
  examples(
    apply,
    'wgfleet plan edge-1 -o plan.json && wgfleet apply edge-1 --plan plan.json',
    'wgfleet apply edge-1 --auto-approve',
  );
  apply.action(
    runtime.act(
      async (
        nodeRef: string,
        options: PlanOptions & { plan?: string; autoApprove?: boolean; wait: boolean; timeout: number },
        command,
      ) => {
        if (Boolean(options.plan) === Boolean(options.autoApprove)) {
          throw new CliError('give either --plan <file> (from wgfleet plan -o <file>) or --auto-approve');
        }
        const panel = await runtime.panel(command);
        const out = runtime.out(command);
        let saved: PlanFile;
        if (options.plan) {
          saved = parsePlanFile(await readPlan(options.plan), options.plan);
          const node = await panel.resolveNode(nodeRef);
          checkPlanTarget(saved, node.id, node.name, panel.connection.url);
        } else {
          saved = await makePlan(panel, nodeRef, options);
          if (!out.json) printPlan(out, saved.plan, saved.node_name);
          // Nothing to approve: no job is queued for an empty plan.
          if (planIsEmpty(saved.plan)) {
            if (out.json) out.printJson({ plan: saved.plan, job: null });
            return EXIT.ok;
          }
        }
        let jobId: string;
        try {
          jobId = (await panel.applyPlan(saved.node_id, saved.plan_id)).job_id;
        } catch (error) {
          if (!isStalePlan(error)) throw error;
          throw new CliError(
            `the plan is stale: node ${saved.node_name}'s desired or observed state changed since it was made.\n` +
              `Make a new one: wgfleet plan ${saved.node_name} -o <file>`,
            EXIT.stalePlan,
          );
        }
        if (!options.wait) {
          if (out.json) out.printJson({ job_id: jobId });
          else out.line(`queued job ${jobId}; follow it with: wgfleet jobs wait ${jobId}`);
          return EXIT.ok;
        }
        const job = await waitForJob(panel, jobId, options.timeout);
        return printJobOutcome(out, job);
      },
    ),
  );

  const jobs = program.command('jobs').description('reconcile jobs');
  examples(
    withOutputOption(
      jobs.command('show').description('one job: status, plan and result').argument('<job-id>'),
    ),
    'wgfleet jobs show 0b5c…',
  ).action(
    runtime.act(async (jobId: string, _options, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const job = await panel.getJob(jobId);
      if (out.json) out.printJson(job);
      else printJob(out, job);
      return EXIT.ok;
    }),
  );
  examples(
    withOutputOption(
      jobs
        .command('wait')
        .description('wait until a job finishes; exit 0 when it succeeded, 1 when it failed')
        .argument('<job-id>')
        .option('--timeout <seconds>', 'give up after this long (exit 1)', positiveNumber, 300),
    ),
    'wgfleet jobs wait 0b5c… --timeout 60',
  ).action(
    runtime.act(async (jobId: string, options: { timeout: number }, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      return printJobOutcome(out, await waitForJob(panel, jobId, options.timeout));
    }),
  );
}

function makePlan(panel: PanelApi, nodeRef: string, options: PlanOptions): Promise<PlanFile> {
  return makeSavedPlan(panel, nodeRef, PLAN_FILE_FORMAT, 'planning', (nodeId) =>
    panel.planReconcile(nodeId, reconcileOptions(options)),
  );
}

async function readPlan(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the plan ${path}: ${(error as Error).message}`);
  }
}

export function printPlan(out: Output, plan: ReconcilePlan, nodeName: string): void {
  const kept = keptNote(plan);
  const cannotRestore = plan.cannot_restore ?? [];
  if (planIsEmpty(plan) && cannotRestore.length === 0) {
    out.line(
      kept === null
        ? `${nodeName}: nothing to do, the node matches the panel`
        : `${nodeName}: nothing to change; ${kept}`,
    );
    return;
  }
  const rows: unknown[][] = [
    ...plan.add.map((peer) => [
      out.color.green('+ add'),
      peer.name,
      shortKey(peer.public_key),
      peer.allowed_ips,
    ]),
    ...plan.update.map((peer) => [
      out.color.yellow('~ update'),
      peer.name,
      shortKey(peer.public_key),
      peer.changes.map(planValues).join('; '),
    ]),
    ...plan.remove.map((peer) => [
      out.color.red('- remove'),
      peer.name ?? '-',
      shortKey(peer.public_key),
      peer.reason,
    ]),
    ...(plan.interface ?? []).map((change) => [
      out.color.yellow('~ interface'),
      '-',
      '-',
      planValues(change),
    ]),
    ...cannotRestore.map((peer) => [
      out.color.red('! cannot restore'),
      peer.name,
      shortKey(peer.public_key),
      `${peer.reason}: set a new one (the console's peer form, or PATCH /api/peers/{id} generate_preshared_key) or restore the peer on the node`,
    ]),
  ];
  out.line(
    `${out.color.bold(nodeName)}: ${plan.add.length} to add, ${plan.update.length} to update, ${plan.remove.length} to remove` +
      (cannotRestore.length > 0 ? `, ${cannotRestore.length} it cannot restore` : ''),
  );
  out.table(['ACTION', 'PEER', 'PUBLIC KEY', `DETAIL: ${PLAN_VALUES_LABEL}`], rows);
  if (kept !== null) out.line(kept);
}

/** Polls the job until it finishes, with progress on stderr. */
export async function waitForJob(panel: PanelApi, jobId: string, timeoutS: number): Promise<ReconcileJob> {
  const deadline = Date.now() + timeoutS * 1000;
  const progress = startProgress(`job ${jobId}: queued`);
  try {
    for (;;) {
      const job = await panel.getJob(jobId);
      progress.update(`job ${jobId}: ${job.status}`);
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      if (Date.now() > deadline) {
        throw new CliError(
          `job ${jobId} is still ${job.status} after ${timeoutS}s; keep waiting with: wgfleet jobs wait ${jobId}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } finally {
    progress.done();
  }
}

function printJob(out: Output, job: ReconcileJob): void {
  out.line(`job ${job.id}: ${out.status(job.status)} (trigger ${job.trigger}, created ${job.created_at})`);
  if (job.error) out.line(`error: ${job.error}`);
  if (job.result) {
    const { added, updated, removed, errors, verified } = job.result;
    out.line(
      `added ${added.length}, updated ${updated.length}, removed ${removed.length}, errors ${errors.length}, verified ${verified ? 'yes' : 'no'}`,
    );
    if (errors.length > 0) {
      out.table(
        ['OPERATION', 'PUBLIC KEY', 'ERROR'],
        errors.map((e) => [e.operation, shortKey(e.public_key), e.message]),
      );
    }
  }
}

/** Exit 0 only for a job that succeeded without a per-peer error. */
function printJobOutcome(out: Output, job: ReconcileJob): number {
  if (out.json) out.printJson(job);
  else printJob(out, job);
  const ok = job.status === 'succeeded' && (job.result?.errors.length ?? 0) === 0;
  return ok ? EXIT.ok : EXIT.error;
}
