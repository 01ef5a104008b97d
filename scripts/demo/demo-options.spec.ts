import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** scripts/demo.sh's options are checked before it starts anything, so these runs create nothing. */
function demo(...args: string[]) {
  return spawnSync('bash', [join(__dirname, '..', 'demo.sh'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
}

describe('scripts/demo.sh options', () => {
  it('--help documents the prefix, database and subnet options and their variables', () => {
    const help = demo('--help');
    expect(help.status).toBe(0);
    for (const text of ['--prefix NAME', '--database NAME|URL', '--subnet A.B.0.0/16', '--keep']) {
      expect(help.stdout).toContain(text);
    }
    for (const variable of ['DEMO_PREFIX', 'DEMO_DATABASE_URL', 'DEMO_SUBNET', 'DEMO_STATE_DIR']) {
      expect(help.stdout).toContain(variable);
    }
  });

  it.each([
    [['--prefix', 'Bad_Name'], '--prefix "Bad_Name": lowercase letters, digits and'],
    [['--prefix', 'much-too-long'], 'at most 11'],
    [['--database', 'wgfleet'], '--database "wgfleet": the demo drops it at every run'],
    [['--database', 'postgres://postgres@db:5432/x;drop'], '--database "x;drop"'],
    [['--subnet', '10.300.0.0/16'], '--subnet "10.300.0.0/16": a /16 like 10.203.0.0/16'],
    [['--subnet', '10.177.0.0/24'], '--subnet "10.177.0.0/24"'],
    [['--nodes', '4'], 'unknown option --nodes'],
  ])('refuses %j with exit 2 before starting anything', (args, message) => {
    const run = demo(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });
});
