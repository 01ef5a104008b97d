/**
 * Brings a panel-made wg-quick client config up the way wg-quick would, inside a network namespace:
 * a wireguard-go interface, `wg setconf` with the config after `wg-quick strip`, the config's addresses on
 * the interface and a route for every AllowedIPs. (wg-quick itself would also touch DNS and the host's
 * routing policy, which a test must not.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createWgInterface,
  run,
  type NetworkNamespace,
  type WgInterface,
} from '../../../agent/test/support/wg-interface';
import { parseWgQuickConfig, type WgQuickSettings } from './wg-quick-config';

export interface ClientTunnel {
  wg: WgInterface;
  settings: WgQuickSettings;
  /** One ping through the tunnel (2 s timeout): true when it was answered. */
  ping(address: string): Promise<boolean>;
  destroy(): Promise<void>;
}

/** The config holds a private key: it only ever sits in 0600 files of a 0700 directory, removed at once. */
async function strippedConfig(interfaceName: string, config: string): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'wgfleet-client-'));
  // wg-quick insists that the file be named after a valid interface.
  const original = join(dir, `${interfaceName}.conf`);
  await writeFile(original, config, { mode: 0o600 });
  const path = join(dir, 'stripped.conf');
  await writeFile(path, await run('wg-quick', ['strip', original]), { mode: 0o600 });
  return { dir, path };
}

export async function bringUpClientConfig(
  namespace: NetworkNamespace,
  interfaceName: string,
  config: string,
): Promise<ClientTunnel> {
  const settings = parseWgQuickConfig(config);
  const wg = await createWgInterface(interfaceName, { netns: namespace });
  try {
    const stripped = await strippedConfig(interfaceName, config);
    try {
      await wg.wg('setconf', interfaceName, stripped.path);
    } finally {
      await rm(stripped.dir, { recursive: true, force: true });
    }
    for (const address of settings.addresses) {
      await namespace.exec('ip', ['addr', 'add', address, 'dev', interfaceName]);
    }
    for (const destination of settings.allowedIps) {
      await namespace.exec('ip', ['route', 'replace', destination, 'dev', interfaceName]);
    }
  } catch (error) {
    await wg.destroy();
    throw error;
  }
  return {
    wg,
    settings,
    ping: (address) =>
      namespace.exec('ping', ['-c', '1', '-W', '2', address]).then(
        () => true,
        () => false,
      ),
    destroy: () => wg.destroy(),
  };
}
