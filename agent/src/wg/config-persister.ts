import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mergeWgQuickSettings } from './conf-writer';

/**
 * Keeps `<dir>/<iface>.conf` equal to the running interface, so wg-quick restores it after a reboot.
 * The file holds the private key: it is written 0600, through a temp file and rename so a crash never
 * leaves half a config.
 */
export class ConfigPersister {
  constructor(
    private readonly dir: string,
    private readonly showconf: (iface: string) => Promise<string>,
  ) {}

  /** The persisted config of the interface, or null when there is none yet. */
  read(iface: string): Promise<string | null> {
    return readFile(join(this.dir, `${iface}.conf`), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
  }

  async persist(iface: string): Promise<void> {
    const target = join(this.dir, `${iface}.conf`);
    const existing = await this.read(iface);
    const merged = mergeWgQuickSettings(await this.showconf(iface), existing);
    const temp = join(this.dir, `.${iface}.conf.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temp, merged, { mode: 0o600, flag: 'wx' });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
