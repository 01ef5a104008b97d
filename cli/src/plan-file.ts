import type { ReconcilePlan } from './api-types';
import { CliError } from './exit-codes';

export const PLAN_FILE_FORMAT = 'wgfleet-plan/v1';

/** A saved dry run: enough to apply exactly it later, and to refuse applying it to another node or panel. */
export interface PlanFile {
  format: typeof PLAN_FILE_FORMAT;
  panel_url: string;
  node_id: string;
  node_name: string;
  plan_id: string;
  created_at: string;
  plan: ReconcilePlan;
}

export function planIsEmpty(plan: ReconcilePlan): boolean {
  return plan.add.length + plan.update.length + plan.remove.length + (plan.interface?.length ?? 0) === 0;
}

/**
 * What a plan leaves on the node that drift still reports, and how to deal with it; null when nothing. Plan
 * files from before the panel listed kept peers have no `kept`.
 */
export function keptNote(plan: ReconcilePlan): string | null {
  const kept = plan.kept ?? [];
  const unknown = kept.filter((peer) => peer.reason === 'unknown').length;
  const orphaned = kept.length - unknown;
  const notes = [
    unknown === 1 ? '1 unknown peer kept: adopt it or --remove-unknown' : null,
    unknown > 1 ? `${unknown} unknown peers kept: adopt them or --remove-unknown` : null,
    orphaned === 1 ? '1 orphaned peer kept: plan without --keep-orphaned to remove it' : null,
    orphaned > 1 ? `${orphaned} orphaned peers kept: plan without --keep-orphaned to remove them` : null,
  ].filter((note) => note !== null);
  return notes.length > 0 ? notes.join('; ') : null;
}

export function parsePlanFile(text: string, source: string): PlanFile {
  let value: Partial<PlanFile>;
  try {
    value = JSON.parse(text) as Partial<PlanFile>;
  } catch {
    throw new CliError(`${source} is not JSON; write a plan with: wgfleet plan <node> -o ${source}`);
  }
  if (value?.format !== PLAN_FILE_FORMAT) {
    throw new CliError(
      `${source} is not a wgfleet plan (format ${PLAN_FILE_FORMAT}); make one with wgfleet plan`,
    );
  }
  for (const field of ['node_id', 'plan_id', 'node_name'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') {
      throw new CliError(`${source}: ${field} is missing; make a new plan with wgfleet plan`);
    }
  }
  return value as PlanFile;
}

/** The plan must be applied to the node and panel it was made for. */
export function checkPlanTarget(plan: PlanFile, nodeId: string, nodeName: string, panelUrl: string): void {
  if (plan.node_id !== nodeId) {
    throw new CliError(`the plan was made for node ${plan.node_name}, not ${nodeName}`);
  }
  if (normaliseUrl(plan.panel_url) !== normaliseUrl(panelUrl)) {
    throw new CliError(`the plan was made on the panel at ${plan.panel_url}, not ${panelUrl}`);
  }
}

function normaliseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
