import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BenchArgsError, parseRunAllArgs, scriptArgs } from './bench-args';
import { BENCHMARKS } from './benchmarks';

const parse = (...argv: string[]) => parseRunAllArgs(argv, BENCHMARKS);
const benchmark = (name: string) => BENCHMARKS.find((b) => b.name === name)!;

describe('parseRunAllArgs', () => {
  it('forwards the flags after --only to that benchmark, as given', () => {
    expect(parse('--only', 'fleet', '--nodes', '200', '--api-peers', '1')).toEqual({
      only: 'fleet',
      json: null,
      forwarded: ['--nodes', '200', '--api-peers', '1'],
    });
    expect(parse('--nodes=2', '--create-only', '--only=fleet', '--json', 'rows.json')).toEqual({
      only: 'fleet',
      json: 'rows.json',
      forwarded: ['--nodes', '2', '--create-only'],
    });
    expect(parse()).toEqual({ only: null, json: null, forwarded: [] });
  });

  it.each([
    [
      ['--only', 'fleet', '--api-peer', '1'],
      'unknown flag --api-peer for the fleet benchmark; it takes --nodes',
    ],
    [['--only', 'sync', '--nodes', '2'], 'unknown flag --nodes for the sync benchmark'],
    [['--nodes', '2'], '--nodes is a flag of one benchmark: name it with --only <agent|peer-create|'],
    [['--only', 'flet'], '--only: no benchmark "flet"; there are agent, peer-create, drift'],
    [['--only'], '--only needs a value'],
    [['--only', 'fleet', '--nodes'], '--nodes needs a value'],
    [['--only', 'fleet', '--nodes', 'many'], '--nodes must be a number (got "many")'],
    [['--only', 'fleet', '--create-only', 'yes'], '--create-only takes no value (got "yes")'],
    [['--only', 'fleet', '--nodes', '2', '--nodes', '3'], '--nodes is given twice'],
    [['fleet'], 'unexpected argument "fleet"'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parse(...argv)).toThrow(BenchArgsError);
    expect(() => parse(...argv)).toThrow(message);
  });
});

describe('scriptArgs', () => {
  it('puts the flags given before the defaults, and drops a default the user gave', () => {
    const drift = benchmark('drift');
    expect(scriptArgs(drift, ['--nodes', '2'])).toEqual([
      ...drift.command,
      '--nodes',
      '2',
      '--interfaces',
      '10',
    ]);
    expect(scriptArgs(drift, ['--interfaces', '2'])).toEqual([...drift.command, '--interfaces', '2']);
  });
});

describe('npm run bench with a flag it does not know', () => {
  it('exits 2 with the reason before running anything', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        'ts-node/register/transpile-only',
        'scripts/bench/run-all.ts',
        '--only',
        'fleet',
        '--nodse',
        '2',
      ],
      { cwd: join(__dirname, '..', '..'), encoding: 'utf8' },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^bench: unknown flag --nodse for the fleet benchmark; it takes --nodes, /,
    );
    expect(run.stdout).toBe('');
  });
});
