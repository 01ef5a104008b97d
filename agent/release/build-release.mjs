// Builds the node release of the agent: one bundled JS file (its dependencies inside), the launcher, the
// systemd unit and the install script, in release/wgfleet-agent/ and as release/wgfleet-agent-<version>.tar.gz.
// A node needs Node.js >= 20 and wg; nothing from npm. Checksums in `sha256sum -c` format: the folder's
// SHA256SUMS lists its files (install.sh checks them), and release/SHA256SUMS the tarball, to publish beside it.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const agentDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const releaseDir = join(agentDir, 'release');
const out = join(releaseDir, 'wgfleet-agent');
const { version } = JSON.parse(readFileSync(join(agentDir, 'package.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'bin'), { recursive: true });
mkdirSync(join(out, 'lib'), { recursive: true });
await build({
  entryPoints: [join(agentDir, 'src', 'main.ts')],
  outfile: join(out, 'lib', 'wgfleet-agent.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: false,
  sourcemap: false,
  legalComments: 'inline',
  logLevel: 'warning',
});
// The agent reads its version from the package.json beside its code's directory.
writeFileSync(
  join(out, 'package.json'),
  JSON.stringify({ name: '@wgfleet/agent', version, private: true }) + '\n',
);
const files = [
  ['bin/wgfleet-agent', 'bin/wgfleet-agent', 0o755],
  ['wgfleet-agent.service', 'wgfleet-agent.service', 0o644],
  ['release/install.sh', 'install.sh', 0o755],
  ['README.md', 'README.md', 0o644],
];
for (const [from, to, mode] of files) {
  copyFileSync(join(agentDir, from), join(out, to));
  chmodSync(join(out, to), mode);
}
/** `sha256sum` lines for files relative to `dir`. */
const sha256sums = (dir, names) =>
  names
    .map(
      (name) =>
        `${createHash('sha256')
          .update(readFileSync(join(dir, name)))
          .digest('hex')}  ${name}\n`,
    )
    .join('');
const shipped = ['lib/wgfleet-agent.js', 'package.json', ...files.map(([, to]) => to)];
writeFileSync(join(out, 'SHA256SUMS'), sha256sums(out, shipped));
const tarballName = `wgfleet-agent-${version}.tar.gz`;
const tarball = join(releaseDir, tarballName);
execFileSync('tar', ['-czf', tarball, '-C', releaseDir, '--owner=0', '--group=0', 'wgfleet-agent']);
writeFileSync(join(releaseDir, 'SHA256SUMS'), sha256sums(releaseDir, [tarballName]));
process.stdout.write(
  `agent release: ${out}/ and ${tarball} (checksums in ${join(releaseDir, 'SHA256SUMS')})\n`,
);
