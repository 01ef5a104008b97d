import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { TemplateSettings } from '../../common/domain/desired-state';

/** Read model of a node template, projected from its events: its name and latest version. */
@Entity({ tableName: 'templates' })
export class TemplateEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', unique: true })
  name!: string;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * One version of a template's settings, written once and never changed: nodes run the version they pinned, and a
 * rollback pins an older one, so every version stays readable while its template exists.
 */
@Entity({ tableName: 'template_versions' })
export class TemplateVersionEntity {
  @PrimaryKey({ type: 'uuid' })
  templateId!: string;

  @PrimaryKey({ type: 'integer' })
  version!: number;

  @Property({ type: 'jsonb' })
  settings!: TemplateSettings;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;
}
