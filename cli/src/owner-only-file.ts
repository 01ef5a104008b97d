import { rename, rm, writeFile } from 'node:fs/promises';

/**
 * Writes `content` to `path` readable by its owner only (0600), whatever file was there before: a new file
 * made 0600 beside it (`wx`: never through an existing file or link) is renamed over the target, so an old
 * 0644 file's mode is not kept and no reader ever sees half of the content.
 */
export async function writeOwnerOnlyFile(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
