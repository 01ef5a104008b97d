import { EVENTS_ENTITIES } from './modules/events/events.module';
import { TEMPLATES_ENTITIES } from './modules/templates/templates.module';
import { USERS_ENTITIES } from './modules/users/users.module';
import { SESSIONS_ENTITIES } from './modules/sessions/sessions.module';
import { ACCESS_ENTITIES } from './modules/access/access.module';
import { NODES_ENTITIES } from './modules/nodes/nodes.module';
import { CLUSTERS_ENTITIES } from './modules/clusters/clusters.module';
import { PEERS_ENTITIES } from './modules/peers/peers.module';
import { TOKENS_ENTITIES } from './modules/tokens/tokens.module';
import { NOTIFICATIONS_ENTITIES } from './modules/notifications/notifications.module';
import { DRIFT_ENTITIES } from './modules/drift/drift.module';
import { LIFECYCLE_ENTITIES } from './modules/lifecycle/lifecycle.module';
import { RECONCILE_ENTITIES } from './modules/reconcile/reconcile.module';
import { SYNC_ENTITIES } from './modules/sync/sync.module';
import { ADOPTION_ENTITIES } from './modules/adoption/adoption.module';
import { ENROLLMENTS_ENTITIES } from './modules/enrollments/enrollments.module';
import { AUDIT_ENTITIES } from './modules/audit/audit.module';

/**
 * Every entity of the panel, for MikroORM: each module lists the tables it owns. Beside app.module, which
 * imports every module anyway, so that `database/` (the stores' tools) imports no module.
 */
export const ENTITIES = [
  ...EVENTS_ENTITIES,
  ...TEMPLATES_ENTITIES,
  ...USERS_ENTITIES,
  ...SESSIONS_ENTITIES,
  ...ACCESS_ENTITIES,
  ...NODES_ENTITIES,
  ...CLUSTERS_ENTITIES,
  ...PEERS_ENTITIES,
  ...TOKENS_ENTITIES,
  ...NOTIFICATIONS_ENTITIES,
  ...DRIFT_ENTITIES,
  ...LIFECYCLE_ENTITIES,
  ...RECONCILE_ENTITIES,
  ...SYNC_ENTITIES,
  ...ADOPTION_ENTITIES,
  ...ENROLLMENTS_ENTITIES,
  ...AUDIT_ENTITIES,
];
