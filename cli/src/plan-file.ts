import type { ReconcilePlan } from './api-types';
import { CliError } from './exit-codes';

export const PLAN_FILE_FORMAT = 'wgfleet-plan/v1';

/** A saved dry run: enough to apply exactly it later, and to refuse applying it to another node or panel. */
export interface SavedPlan<Format extends string, Plan> {
  format: Format;
  panel_url: string;
  node_id: string;
  node_name: string;
  plan_id: string;
  created_at: string;
  plan: Plan;
}

/** A saved reconcile dry run (`wgfleet plan -o`). */
export type PlanFile = SavedPlan<typeof PLAN_FILE_FORMAT, ReconcilePlan>;

/** What makes a saved plan of one kind: its format and the command that writes it. */
export interface SavedPlanKind<Format extends string> {
  format: Format;
  /** e.g. "wgfleet plan": the command that writes such a file with `-o <file>`. */
  command: string;
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
  return parseSavedPlan<typeof PLAN_FILE_FORMAT, ReconcilePlan>(text, source, {
    format: PLAN_FILE_FORMAT,
    command: 'wgfleet plan',
  });
}

/** Reads a saved plan of `kind`; the panel checks the plan itself when it is applied by its id. */
export function parseSavedPlan<Format extends string, Plan>(
  text: string,
  source: string,
  kind: SavedPlanKind<Format>,
): SavedPlan<Format, Plan> {
  let value: Partial<SavedPlan<Format, Plan>>;
  try {
    value = JSON.parse(text) as Partial<SavedPlan<Format, Plan>>;
  } catch {
    throw new CliError(`${source} is not JSON; write a plan with: ${kind.command} <node> -o ${source}`);
  }
  if (value?.format !== kind.format) {
    throw new CliError(
      `${source} is not a ${kind.command} plan (format ${kind.format}); make one with ${kind.command}`,
    );
  }
  for (const field of ['node_id', 'plan_id', 'node_name'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') {
      throw new CliError(`${source}: ${field} is missing; make a new plan with ${kind.command}`);
    }
  }
  return value as SavedPlan<Format, Plan>;
}

/** The plan must be applied to the node and panel it was made for. */
export function checkPlanTarget(
  plan: Pick<PlanFile, 'node_id' | 'node_name' | 'panel_url'>,
  nodeId: string,
  nodeName: string,
  panelUrl: string,
): void {
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
