import { chmod, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOwnerOnlyFile } from './owner-only-file';

describe('writeOwnerOnlyFile', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'xha-owner-only-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replaces an existing world-readable file by an owner-only one, leaving no temporary file', async () => {
    const file = join(dir, 'alice.conf');
    await writeFile(file, 'old\n');
    await chmod(file, 0o644);
    await writeOwnerOnlyFile(file, '[Interface]\nPrivateKey = secret\n');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe('[Interface]\nPrivateKey = secret\n');
    expect(await readdir(dir)).toEqual(['alice.conf']);
  });

  it('makes a new file owner-only even under a permissive umask', async () => {
    const saved = process.umask(0);
    try {
      await writeOwnerOnlyFile(join(dir, 'new.conf'), 'x');
    } finally {
      process.umask(saved);
    }
    expect((await stat(join(dir, 'new.conf'))).mode & 0o777).toBe(0o600);
  });
});
