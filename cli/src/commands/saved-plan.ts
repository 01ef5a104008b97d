import { PanelApi } from '../panel-api';
import type { SavedPlan } from '../plan-file';
import { startProgress } from '../progress';

/**
 * Makes a dry run of one node with `dryRun` (progress on stderr, as `<what> <node>…`) and answers it as a plan
 * file of `format`, bound to the node and the panel so it is applied nowhere else.
 */
export async function makeSavedPlan<Format extends string, Plan>(
  panel: PanelApi,
  nodeRef: string,
  format: Format,
  what: string,
  dryRun: (nodeId: string) => Promise<{ plan_id: string; plan: Plan }>,
): Promise<SavedPlan<Format, Plan>> {
  const node = await panel.resolveNode(nodeRef);
  const progress = startProgress(`${what} ${node.name}…`);
  try {
    const answer = await dryRun(node.id);
    return {
      format,
      panel_url: panel.connection.url,
      node_id: node.id,
      node_name: node.name,
      plan_id: answer.plan_id,
      created_at: new Date().toISOString(),
      plan: answer.plan,
    };
  } finally {
    progress.done();
  }
}
