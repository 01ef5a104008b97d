import type { TemplateSettings } from '../../common/domain/desired-state';
import type { DomainEvent } from '../events';

/** A template as its events carry it; every version is complete, so any one of them reads on its own. */
export interface TemplateState {
  name: string;
  settings: TemplateSettings;
}

export const TEMPLATE_CREATED = 'template.created';
export const TEMPLATE_UPDATED = 'template.updated';
export const TEMPLATE_DELETED = 'template.deleted';

export interface TemplateDeletedPayload {
  name: string;
}

/** The template's version is its stream's version: created is 1, each update the next. */
export type TemplateCreated = DomainEvent<'template', typeof TEMPLATE_CREATED, TemplateState>;
export type TemplateUpdated = DomainEvent<'template', typeof TEMPLATE_UPDATED, TemplateState>;
export type TemplateDeleted = DomainEvent<'template', typeof TEMPLATE_DELETED, TemplateDeletedPayload>;

/** Every event of a template's stream. */
export type TemplateEvent = TemplateCreated | TemplateUpdated | TemplateDeleted;
