import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandContext } from '../../common/auth/auth.decorators';
import type { TemplateSettings } from '../../common/domain/desired-state';
import { Page } from '../../common/http/api-responses';
import { conflict, notFound, versionConflict } from '../../common/http/api-error';
import { decodeCursor, page } from '../../common/http/cursor';
import { ListQuery } from '../../common/http/queries';
import { Reactions } from '../../common/reactions';
import { EventStore } from '../events';
import { nextSettings, sameSettings } from './domain/template-settings';
import { TEMPLATE_FOLLOWERS } from './template-followers';
import { TemplateEntity, TemplateVersionEntity } from './template.entity';
import { TEMPLATE_CREATED, TEMPLATE_DELETED, TEMPLATE_UPDATED, TemplateEvent } from './template.events';
import { TemplateVersionView, TemplateView, toTemplateVersionView, toTemplateView } from './template-view';
import { CreateTemplateDto, UpdateTemplateDto } from './templates.dto';
import { TemplatesStore } from './templates.store';

/** A template version a node can pin: which template, which version, and that version's settings. */
export interface PinnableVersion {
  template_id: string;
  version: number;
  settings: TemplateSettings;
}

/** Why a version cannot be pinned. */
export type PinRefusal = 'unknown_template' | 'unknown_version';

@Injectable()
export class TemplatesService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: EventStore,
    private readonly store: TemplatesStore,
    private readonly reactions: Reactions,
  ) {}

  async create(dto: CreateTemplateDto, context: CommandContext): Promise<TemplateView> {
    const id = randomUUID();
    const em = this.em.fork();
    await em.transactional(async (tx) => {
      await this.assertNameFree(tx, dto.name, id);
      await this.events.append<TemplateEvent>(
        tx,
        {
          aggregateType: 'template',
          aggregateId: id,
          type: TEMPLATE_CREATED,
          payload: { name: dto.name, settings: nextSettings({}, dto.settings ?? {}) },
        },
        0,
        context,
      );
    });
    return this.get(id);
  }

  async list(query: ListQuery): Promise<Page<TemplateView>> {
    const limit = query.limit ?? 100;
    const em = this.em.fork();
    const rows = await this.store.page(em, decodeCursor(query.cursor), limit);
    const latest = new Map(
      (await this.store.latestVersions(em, rows)).map((version) => [version.templateId, version]),
    );
    return page(rows, limit, (template) => toTemplateView(template, requireLatest(latest, template)));
  }

  async get(id: string): Promise<TemplateView> {
    const em = this.em.fork();
    const template = await this.require(em, id);
    return toTemplateView(template, await this.requireVersion(em, id, template.version));
  }

  /** Any version of the template, the pinned and older ones included (a rollback pins one of those). */
  async version(id: string, version: number): Promise<TemplateVersionView> {
    const em = this.em.fork();
    await this.require(em, id);
    return toTemplateVersionView(await this.requireVersion(em, id, version));
  }

  /**
   * The version a node is about to pin (the latest when `version` is null), read in the node's transaction with
   * the template's row share-locked, so the template cannot be deleted before the pin commits. A refusal when the
   * template or that version does not exist: the caller names the field it came from.
   */
  async pinnable(
    em: EntityManager,
    templateId: string,
    version: number | null,
  ): Promise<PinnableVersion | PinRefusal> {
    const template = await this.store.findLocked(em, templateId, 'read');
    if (!template) return 'unknown_template';
    const found = await this.store.version(em, templateId, version ?? template.version);
    if (!found) return 'unknown_version';
    return { template_id: templateId, version: found.version, settings: found.settings };
  }

  /** A new version when something changes; the nodes keep running the version they pinned until re-pinned. */
  async update(
    id: string,
    dto: UpdateTemplateDto,
    expected: number | undefined,
    context: CommandContext,
  ): Promise<TemplateView> {
    await this.em.fork().transactional(async (em) => {
      const template = await this.requireLocked(em, id);
      if (expected !== undefined && expected !== template.version)
        throw versionConflict('template', expected, template.version);
      const latest = await this.requireVersion(em, id, template.version);
      const name = dto.name ?? template.name;
      const settings = nextSettings(latest.settings, dto.settings ?? {});
      if (name === template.name && sameSettings(settings, latest.settings)) return;
      if (name !== template.name) await this.assertNameFree(em, name, id);
      await this.events.append<TemplateEvent>(
        em,
        { aggregateType: 'template', aggregateId: id, type: TEMPLATE_UPDATED, payload: { name, settings } },
        template.version,
        context,
      );
    });
    return this.get(id);
  }

  /** Refused while a node follows the template: its pinned version would be gone. */
  async delete(id: string, expected: number | undefined, context: CommandContext): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      const template = await this.requireLocked(em, id);
      if (expected !== undefined && expected !== template.version)
        throw versionConflict('template', expected, template.version);
      const followers = await this.reactions.ask(TEMPLATE_FOLLOWERS, em, id);
      if (followers > 0) {
        throw conflict(`template ${template.name} is followed by ${followers} node(s); unpin them first`, [
          { field: 'id', message: 'template in use' },
        ]);
      }
      await this.events.append<TemplateEvent>(
        em,
        {
          aggregateType: 'template',
          aggregateId: id,
          type: TEMPLATE_DELETED,
          payload: { name: template.name },
        },
        template.version,
        context,
      );
    });
  }

  private async require(em: EntityManager, id: string): Promise<TemplateEntity> {
    const template = await this.store.find(em, id);
    if (!template) throw notFound('template', id);
    return template;
  }

  private async requireLocked(em: EntityManager, id: string): Promise<TemplateEntity> {
    const template = await this.store.findLocked(em, id, 'write');
    if (!template) throw notFound('template', id);
    return template;
  }

  private async requireVersion(
    em: EntityManager,
    id: string,
    version: number,
  ): Promise<TemplateVersionEntity> {
    const found = await this.store.version(em, id, version);
    if (!found) throw notFound('template version', `${id}@${version}`);
    return found;
  }

  private async assertNameFree(em: EntityManager, name: string, id: string): Promise<void> {
    if (await this.store.nameTaken(em, name, id))
      throw conflict(`a template named "${name}" already exists`, [
        { field: 'name', message: 'name is taken' },
      ]);
  }
}

function requireLatest(latest: Map<string, TemplateVersionEntity>, template: TemplateEntity) {
  const version = latest.get(template.id);
  if (!version) throw new Error(`template ${template.id} has no row for its version ${template.version}`);
  return version;
}
