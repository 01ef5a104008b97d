import { ApiProperty } from '@nestjs/swagger';
import type { TemplateSettings } from '../../common/domain/desired-state';
import { TemplateEntity, TemplateVersionEntity } from './template.entity';
import { TemplateSettingsDto } from './templates.dto';

/** The API shape of a template (docs/API.md, Templates): its latest version's settings. */
export class TemplateView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ description: 'the latest version; each change makes the next one' })
  version!: number;

  @ApiProperty({ type: TemplateSettingsDto, description: 'only the keys the template sets' })
  settings!: TemplateSettings;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

/** One version of a template's settings, as it was written. */
export class TemplateVersionView {
  @ApiProperty({ format: 'uuid' })
  template_id!: string;

  @ApiProperty()
  version!: number;

  @ApiProperty({ type: TemplateSettingsDto })
  settings!: TemplateSettings;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

export function toTemplateView(template: TemplateEntity, latest: TemplateVersionEntity): TemplateView {
  return {
    id: template.id,
    name: template.name,
    version: template.version,
    settings: latest.settings,
    created_at: template.createdAt.toISOString(),
    updated_at: template.updatedAt.toISOString(),
  };
}

export function toTemplateVersionView(version: TemplateVersionEntity): TemplateVersionView {
  return {
    template_id: version.templateId,
    version: version.version,
    settings: version.settings,
    created_at: version.createdAt.toISOString(),
  };
}
