import { Migration } from '@mikro-orm/migrations';

/** The node's pinned receipt public key (docs/AUDIT.md "Node receipts"); null = the node signs no receipts. */
export class Migration20261207060000_node_receipt_key extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "nodes" add column "receipt_key" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "nodes" drop column "receipt_key";`);
  }
}
