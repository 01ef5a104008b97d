import { MigrationObject } from '@mikro-orm/core';
import { Migration20261127190556 } from './Migration20261127190556';

/** Applied in order at start-up; add each new migration here (the CLI writes the file, not this list). */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261127190556', class: Migration20261127190556 },
];
