import type { CommandContext } from '../../common/auth/auth.decorators';
import { tellTopic } from '../../common/reactions';

/**
 * A template has a new version. Its followers keep the version they pinned; a higher module (rollouts) can
 * plan moving them to it.
 */
export const TEMPLATE_VERSION_CREATED = tellTopic<
  [templateId: string, version: number, context: CommandContext]
>(
  'templates.version-created',
  'afterCommit',
  'could not plan a rollout of the new template version; plan one with POST /api/rollouts',
);
