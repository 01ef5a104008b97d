export { TEMPLATE_FOLLOWERS } from './template-followers';
export { TEMPLATE_VERSION_CREATED } from './template-versions';
export { TemplateSettingsDto } from './templates.dto';
export { TemplatesService } from './templates.service';
export type { PinnableVersion, PinRefusal } from './templates.service';
