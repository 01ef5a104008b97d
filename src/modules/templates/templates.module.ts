import { Module, OnModuleInit } from '@nestjs/common';
import { Reactions } from '../../common/reactions';
import { PROJECTIONS } from '../events';
import { TemplateEntity, TemplateVersionEntity } from './template.entity';
import { TemplateProjection } from './template.projection';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';
import { TemplatesStore } from './templates.store';

/** The tables this module owns, for MikroORM (`src/entities.ts`). */
export const TEMPLATES_ENTITIES = [TemplateEntity, TemplateVersionEntity];

@Module({
  controllers: [TemplatesController],
  providers: [TemplatesService, TemplatesStore, TemplateProjection],
  exports: [TemplatesService],
})
export class TemplatesModule implements OnModuleInit {
  constructor(
    private readonly reactions: Reactions,
    private readonly projection: TemplateProjection,
  ) {}

  onModuleInit(): void {
    this.reactions.contribute(PROJECTIONS, 'templates: TemplateProjection', this.projection);
  }
}
