import { Migration } from '@mikro-orm/migrations';

/**
 * Every scan rewrites the current period's row of each peer that moved traffic. With room left in each page the
 * update stays on its page (a HOT update) and touches no index; full pages made each one a new tuple elsewhere
 * plus an entry in both indexes.
 */
export class Migration20261202121500_peer_usage_fillfactor extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "peer_usage" set (fillfactor = 50);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "peer_usage" reset (fillfactor);`);
  }
}
