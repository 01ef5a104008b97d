import { MigrationObject } from '@mikro-orm/core';
import { Migration20261127190556 } from './Migration20261127190556';
import { Migration20261127201000_drift } from './Migration20261127201000_drift';
import { Migration20261127203000_notifications } from './Migration20261127203000_notifications';
import { Migration20261127202000_reconcile } from './Migration20261127202000_reconcile';
import { Migration20261127202100_sync } from './Migration20261127202100_sync';
import { Migration20261202074230_adoption } from './Migration20261202074230_adoption';
import { Migration20261202081000_enrollments } from './Migration20261202081000_enrollments';
import { Migration20261202090000_peer_lifecycle } from './Migration20261202090000_peer_lifecycle';
import { Migration20261202120000_drift_reports } from './Migration20261202120000_drift_reports';
import { Migration20261202121500_peer_usage_fillfactor } from './Migration20261202121500_peer_usage_fillfactor';
import { Migration20261202130000_usage_on_activity } from './Migration20261202130000_usage_on_activity';
import { Migration20261202140000_published_views } from './Migration20261202140000_published_views';
import { Migration20261202143000_published_peers_created_at } from './Migration20261202143000_published_peers_created_at';
import { Migration20261207050000_site_to_site_peers } from './Migration20261207050000_site_to_site_peers';
import { Migration20261207053000_audit_chain } from './Migration20261207053000_audit_chain';
import { Migration20261207060000_node_receipt_key } from './Migration20261207060000_node_receipt_key';
import { Migration20261207100000_node_tags } from './Migration20261207100000_node_tags';
import { Migration20261207110000_templates } from './Migration20261207110000_templates';
import { Migration20261207130000_clusters } from './Migration20261207130000_clusters';
import { Migration20261207130100_cluster_peers } from './Migration20261207130100_cluster_peers';
import { Migration20261207150000_users_access } from './Migration20261207150000_users_access';
import { Migration20261207160000_sessions } from './Migration20261207160000_sessions';
import { Migration20261207170000_actors } from './Migration20261207170000_actors';
import { Migration20261207170100_peer_owner } from './Migration20261207170100_peer_owner';

/** Applied in order at start-up; add each new migration here (the CLI writes the file, not this list). */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261127190556', class: Migration20261127190556 },
  { name: 'Migration20261127203000_notifications', class: Migration20261127203000_notifications },
  { name: 'Migration20261127201000_drift', class: Migration20261127201000_drift },
  { name: 'Migration20261127202000_reconcile', class: Migration20261127202000_reconcile },
  { name: 'Migration20261127202100_sync', class: Migration20261127202100_sync },
  { name: 'Migration20261202074230_adoption', class: Migration20261202074230_adoption },
  { name: 'Migration20261202081000_enrollments', class: Migration20261202081000_enrollments },
  { name: 'Migration20261202090000_peer_lifecycle', class: Migration20261202090000_peer_lifecycle },
  { name: 'Migration20261202120000_drift_reports', class: Migration20261202120000_drift_reports },
  {
    name: 'Migration20261202121500_peer_usage_fillfactor',
    class: Migration20261202121500_peer_usage_fillfactor,
  },
  { name: 'Migration20261202130000_usage_on_activity', class: Migration20261202130000_usage_on_activity },
  { name: 'Migration20261202140000_published_views', class: Migration20261202140000_published_views },
  {
    name: 'Migration20261202143000_published_peers_created_at',
    class: Migration20261202143000_published_peers_created_at,
  },
  { name: 'Migration20261207050000_site_to_site_peers', class: Migration20261207050000_site_to_site_peers },
  { name: 'Migration20261207053000_audit_chain', class: Migration20261207053000_audit_chain },
  { name: 'Migration20261207060000_node_receipt_key', class: Migration20261207060000_node_receipt_key },
  { name: 'Migration20261207100000_node_tags', class: Migration20261207100000_node_tags },
  { name: 'Migration20261207110000_templates', class: Migration20261207110000_templates },
  { name: 'Migration20261207130000_clusters', class: Migration20261207130000_clusters },
  { name: 'Migration20261207130100_cluster_peers', class: Migration20261207130100_cluster_peers },
  { name: 'Migration20261207150000_users_access', class: Migration20261207150000_users_access },
  { name: 'Migration20261207160000_sessions', class: Migration20261207160000_sessions },
  { name: 'Migration20261207170000_actors', class: Migration20261207170000_actors },
  { name: 'Migration20261207170100_peer_owner', class: Migration20261207170100_peer_owner },
];
