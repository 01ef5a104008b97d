import { EntityManager } from '@mikro-orm/postgresql';
import { askTopic } from '../../common/reactions';

/**
 * How many nodes follow a template. The nodes module owns the link and answers it, so a template is never deleted
 * from under a node that runs one of its versions.
 */
export const TEMPLATE_FOLLOWERS = askTopic<[em: EntityManager, templateId: string], number>(
  'templates.followers',
);
