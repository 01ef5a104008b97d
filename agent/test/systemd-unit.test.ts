/**
 * The systemd unit ships the agent's last line of defence: network only to localhost and the panel,
 * bounded memory, one capability. These are easy to lose in an edit, so they are checked here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_DIR } from './support/agent-process';

function serviceSettings(): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = '';
  for (const raw of readFileSync(join(AGENT_DIR, 'wgfleet-agent.service'), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) section = line;
    if (section !== '[Service]' || line === '' || line.startsWith('#') || !line.includes('=')) continue;
    const [key, ...value] = line.split('=');
    settings.set(key, [...(settings.get(key) ?? []), value.join('=')]);
  }
  return settings;
}

describe('wgfleet-agent.service', () => {
  const settings = serviceSettings();

  it('denies all IP traffic but localhost; the panel is allowed in a drop-in', () => {
    expect(settings.get('IPAddressDeny')).toEqual(['any']);
    expect(settings.get('IPAddressAllow')).toEqual(['localhost']);
    const readme = readFileSync(join(AGENT_DIR, 'README.md'), 'utf8');
    expect(readme).toContain('IPAddressAllow=');
  });

  it('caps memory and keeps only CAP_NET_ADMIN', () => {
    expect(settings.get('MemoryMax')?.[0]).toMatch(/^\d+[KMG]$/);
    expect(settings.get('CapabilityBoundingSet')).toEqual(['CAP_NET_ADMIN']);
    expect(settings.get('NoNewPrivileges')).toEqual(['yes']);
  });

  it('gives the agent an owner-only state directory for its nonce journal', () => {
    expect(settings.get('StateDirectory')).toEqual(['wgfleet-agent']);
    expect(settings.get('StateDirectoryMode')).toEqual(['0700']);
  });
});
