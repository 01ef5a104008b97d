import type { TemplateSettings } from '../../../common/domain/desired-state';

/** Settings as a request gives them: null (like a key left out) means the template does not set the value. */
export type TemplateSettingsInput = { [K in keyof TemplateSettings]?: TemplateSettings[K] | null };

const KEYS: Record<keyof TemplateSettings, true> = {
  override_listen_port: true,
  override_dns: true,
  override_mtu: true,
  override_keepalive: true,
  override_endpoint_allowed_ip: true,
  client_dns_search: true,
  client_routes: true,
  interface_mtu: true,
  fwmark: true,
};

/**
 * The next version's settings: `changes` over `current`, key by key; null removes a key, a key left out keeps its
 * value. Only the known keys are kept, so what is stored never depends on what else the input object carried.
 */
export function nextSettings(current: TemplateSettings, changes: TemplateSettingsInput): TemplateSettings {
  const next: Record<string, unknown> = {};
  for (const key of Object.keys(KEYS) as (keyof TemplateSettings)[]) {
    const value = changes[key] === undefined ? current[key] : changes[key];
    if (value !== null && value !== undefined) next[key] = value;
  }
  return next;
}

/** Whether two versions' settings are the same (key order aside). */
export function sameSettings(a: TemplateSettings, b: TemplateSettings): boolean {
  const keys = Object.keys(KEYS) as (keyof TemplateSettings)[];
  return keys.every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]));
}
