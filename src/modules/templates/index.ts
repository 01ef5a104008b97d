export { TEMPLATE_FOLLOWERS } from './template-followers';
export { TemplateSettingsDto } from './templates.dto';
export { TemplatesService } from './templates.service';
export type { PinnableVersion, PinRefusal } from './templates.service';
