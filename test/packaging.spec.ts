/**
 * What ships: runtime dependencies the panel really uses, pinned MikroORM, a supported Node LTS in the image,
 * dev tools and secrets kept out of it, and no reference to a file that does not exist.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const manifest = JSON.parse(read('package.json')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return filesUnder(path, extension);
    return path.endsWith(extension) ? [path] : [];
  });
}

/** Packages that runtime code (not its specs) imports, by package name. */
function importedPackages(): Set<string> {
  const names = new Set<string>();
  for (const file of filesUnder('src', '.ts').filter((path) => !path.endsWith('.spec.ts'))) {
    for (const match of read(file).matchAll(/(?:from |import |require\()'((?:@[^/']+\/)?[^/'.][^/']*)/g)) {
      names.add(match[1]);
    }
  }
  return names;
}

/** Peer dependencies of the runtime dependencies: installed for them, never imported by the panel itself. */
function peersOfDependencies(): Set<string> {
  const peers = new Set<string>();
  for (const name of Object.keys(manifest.dependencies)) {
    const own = JSON.parse(read(`node_modules/${name}/package.json`)) as {
      peerDependencies?: Record<string, string>;
    };
    for (const peer of Object.keys(own.peerDependencies ?? {})) peers.add(peer);
  }
  return peers;
}

describe('packaging', () => {
  it('lists as runtime dependencies only packages the panel imports or that one of them needs', () => {
    const used = importedPackages();
    const peers = peersOfDependencies();
    const unused = Object.keys(manifest.dependencies).filter((name) => !used.has(name) && !peers.has(name));
    expect(unused).toEqual([]);
  });

  it('pins every MikroORM package to the same exact version', () => {
    const versions = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })
      .filter(([name]) => name.startsWith('@mikro-orm/') && name !== '@mikro-orm/nestjs')
      .map(([, version]) => version);
    expect(new Set(versions)).toEqual(new Set(['6.6.16']));
  });

  it('builds the image on a supported Node LTS and ships production dependencies only', () => {
    const dockerfile = read('Dockerfile');
    const majors = [...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((match) => Number(match[1]));
    expect(majors.length).toBeGreaterThan(0);
    // Even majors are LTS lines; 20 reached its end of life in April 2026.
    for (const major of majors) expect(major % 2 === 0 && major >= 22).toBe(true);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
  });

  it('keeps .env out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    expect(ignored).toContain('.env');
  });

  it('refers to no Dockerfile that does not exist', () => {
    const texts = ['Dockerfile', 'docker-compose.yml', 'README.md', ...filesUnder('docs', '.md')]
      .filter((path) => existsSync(join(ROOT, path)))
      .map(read);
    const referenced = texts.flatMap((text) =>
      [...text.matchAll(/\b([\w./-]*Dockerfile)\b/g)].map((m) => m[1]),
    );
    const missing = referenced.filter((path) => path.includes('/') && !existsSync(join(ROOT, path)));
    expect(missing).toEqual([]);
  });
});
