import type { AdoptionPlan } from './api-types';
import { parseSavedPlan, SavedPlan } from './plan-file';

export const ADOPTION_PLAN_FORMAT = 'wgfleet-adoption-plan/v1';

/** A saved adoption dry run (`wgfleet adopt <node> -o <file>`), applied by `wgfleet adopt <node> --plan <file>`. */
export type AdoptionPlanFile = SavedPlan<typeof ADOPTION_PLAN_FORMAT, AdoptionPlan>;

export function parseAdoptionPlanFile(text: string, source: string): AdoptionPlanFile {
  return parseSavedPlan<typeof ADOPTION_PLAN_FORMAT, AdoptionPlan>(text, source, {
    format: ADOPTION_PLAN_FORMAT,
    command: 'wgfleet adopt',
  });
}

/** The names of the peers the plan adopts, by public key: as the panel planned them, or as edited in the file. */
export function namesInPlan(plan: AdoptionPlan): Record<string, string> {
  return Object.fromEntries(
    plan.adopt.flatMap((entry) =>
      entry.conflict === undefined && entry.name !== undefined ? [[entry.public_key, entry.name]] : [],
    ),
  );
}

/** Keys of a names file that are no peer the plan adopts: most often a typo, or a peer already adopted. */
export function namesOutsidePlan(names: Record<string, string>, plan: AdoptionPlan): string[] {
  const adoptable = new Set(Object.keys(namesInPlan(plan)));
  return Object.keys(names).filter((key) => !adoptable.has(key));
}
