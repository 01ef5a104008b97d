import type { SettingSource } from '../types';

const LABELS: Record<SettingSource, string> = {
  peer: 'the peer',
  node: 'this node',
  template: 'template',
  default: 'panel default',
};

/** Where an effective value comes from; a template's value names the version it comes from. */
export function SourceLabel({
  source,
  templateVersion,
}: {
  source: SettingSource;
  templateVersion?: number | null;
}) {
  const text = source === 'template' && templateVersion ? `template v${templateVersion}` : LABELS[source];
  return <span class={`source source-${source}`}>{text}</span>;
}
