import { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import type { RolloutCreation, RolloutView } from '../api-types';
import { EXIT, ExitCode } from '../exit-codes';
import { Output, withOutputOption } from '../output';
import { PanelApi, ROLLOUT_COMMANDS } from '../panel-api';
import { pause } from '../polling';
import { parseTemplateRef, parseWaves } from '../rollout-options';
import { examples, Runtime } from '../runtime';
import { positiveNumber } from './drift';

interface PlanOptions {
  template?: string;
  tag?: string;
  node: string[];
  waves?: string;
  bake?: number;
  minRetention?: number;
  start?: boolean;
  out?: string;
}

const FINISHED = ['completed', 'aborted', 'rolled_back'];

/** What a rollout's status means for a pipeline: halted needs a decision; the rest is done or going. */
export function rolloutExitCode(rollout: Pick<RolloutView, 'status'>): ExitCode {
  if (rollout.status === 'halted') return EXIT.halted;
  if (rollout.status === 'aborted') return EXIT.error;
  return EXIT.ok;
}

export function registerRolloutCommands(program: Command, runtime: Runtime): void {
  const rollout = program
    .command('rollout')
    .description('change many nodes in gated waves: plan, start, watch, pause, resume, abort, roll back');

  const plan = rollout
    .command('plan')
    .description("plan a rollout: each node's exact plan in waves, stored as planned; nothing changes yet")
    .option(
      '--template <name[@version]>',
      'pin this template version (its latest by default) on its followers',
    )
    .option('--tag <key=value>', 'the nodes carrying this tag')
    .option(
      '--node <node>',
      'this node (repeat for more)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option('--waves <list>', 'waves: node counts and cumulative percents, e.g. 1,10%,50%,100%')
    .option('--bake <seconds>', 'how long each wave is watched after its change (default 60)', Number)
    .option(
      '--min-retention <percent>',
      'share of active peers that must pass traffic again (default 90)',
      Number,
    )
    .option('--start', 'start it at once')
    .option('-o, --out <file>', 'save the planned rollout (json: print it on stdout)');
  examples(
    plan,
    'wgfleet rollout plan --template edge@4 --waves 1,25%,100% --bake 120',
    'wgfleet rollout plan --tag region=eu -o json | jq .waves',
  );
  plan.action(
    runtime.act(async (options: PlanOptions, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const body = await creation(panel, options);
      const created = await panel.createRollout(body);
      if (options.out === 'json') out.printJson(created);
      else {
        if (options.out) await writeFile(options.out, `${JSON.stringify(created, null, 2)}\n`);
        printRollout(out, created);
        if (!options.start) out.note(`start it with: wgfleet rollout start ${created.id}`);
      }
      return EXIT.ok;
    }),
  );

  const status = withOutputOption(
    rollout
      .command('status')
      .description('a rollout: waves, gates, nodes, halt')
      .argument('<id>', 'rollout id')
      .option('--watch', 'follow it until it completes, halts or is aborted; exit 0, 3 (halted) or 1')
      .option('--interval <seconds>', 'how often --watch asks', positiveNumber, 2),
  );
  examples(status, 'wgfleet rollout status 1b0c… --watch && echo rolled out');
  status.action(
    runtime.act(async (id: string, options: { watch?: boolean; interval: number }, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      if (!options.watch) return show(out, await panel.getRollout(id));
      return watch(panel, out, id, options.interval * 1000);
    }),
  );

  for (const name of ROLLOUT_COMMANDS) {
    const sub = withOutputOption(
      rollout
        .command(name)
        .description(`${name} a rollout${name === 'pause' ? '' : '; --watch follows it like status --watch'}`)
        .argument('<id>', 'rollout id')
        .option('--watch', 'follow it until it completes, halts or is aborted')
        .option('--interval <seconds>', 'how often --watch asks', positiveNumber, 2),
    );
    examples(sub, `wgfleet rollout ${name} 1b0c…${name === 'pause' ? '' : ' --watch'}`);
    sub.action(
      runtime.act(async (id: string, options: { watch?: boolean; interval: number }, command) => {
        const panel = await runtime.panel(command);
        const out = runtime.out(command);
        const answer = await panel.commandRollout(id, name);
        if (!options.watch) return show(out, answer);
        return watch(panel, out, id, options.interval * 1000);
      }),
    );
  }
}

async function creation(panel: PanelApi, options: PlanOptions): Promise<RolloutCreation> {
  const template = options.template ? parseTemplateRef(options.template) : undefined;
  const templateId = template ? (await panel.resolveTemplate(template.ref)).id : undefined;
  const nodeIds = await Promise.all(options.node.map(async (ref) => (await panel.resolveNode(ref)).id));
  return {
    ...(templateId ? { template_id: templateId } : {}),
    ...(template?.version ? { template_version: template.version } : {}),
    ...(nodeIds.length > 0 ? { node_ids: nodeIds } : {}),
    ...(options.tag ? { tag: options.tag } : {}),
    ...(options.waves ? { waves: parseWaves(options.waves) } : {}),
    ...(options.bake !== undefined ? { bake_s: options.bake } : {}),
    ...(options.minRetention !== undefined ? { min_traffic_retention: options.minRetention } : {}),
    dry_run: !options.start,
  };
}

function show(out: Output, rollout: RolloutView): ExitCode {
  if (out.json) out.printJson(rollout);
  else printRollout(out, rollout);
  return rolloutExitCode(rollout);
}

async function watch(panel: PanelApi, out: Output, id: string, intervalMs: number): Promise<ExitCode> {
  const stopped = new AbortController();
  const stop = () => stopped.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let last = '';
  try {
    for (;;) {
      const rollout = await panel.getRollout(id);
      const line = progressLine(rollout);
      if (!out.json && line !== last) out.line(line);
      last = line;
      if (rollout.status === 'halted' || FINISHED.includes(rollout.status) || stopped.signal.aborted)
        return show(out, rollout);
      await pause(intervalMs, stopped.signal);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function progressLine(rollout: RolloutView): string {
  const passed = rollout.waves.filter((wave) => wave.status === 'passed').length;
  const wave = rollout.current_wave === null ? '' : ` wave ${rollout.current_wave} ${rollout.phase ?? ''}`;
  return `${rollout.status}${wave} (${passed}/${rollout.waves.length} waves passed)`;
}

function printRollout(out: Output, rollout: RolloutView): void {
  out.line(`rollout ${rollout.id}  ${out.status(rollout.status)}  ${rollout.kind}`);
  out.line(
    `bake ${rollout.options.bake_s} s, at least ${rollout.options.min_traffic_retention} % of active peers`,
  );
  out.table(
    ['WAVE', 'NODES', 'STATUS', 'SYNC', 'AGENT', 'TRAFFIC'],
    rollout.waves.map((wave) => [
      wave.index,
      wave.node_ids.length,
      wave.status,
      wave.gates?.sync.verdict ?? '-',
      wave.gates?.agent.verdict ?? '-',
      wave.gates?.traffic
        ? `${wave.gates.traffic.passing}/${wave.gates.traffic.active} ${wave.gates.traffic.verdict}`
        : '-',
    ]),
  );
  if (rollout.halt) {
    const node = rollout.halt.node_id ? ` node ${rollout.halt.node_id}` : '';
    out.line(`halted at wave ${rollout.halt.wave}${node}, ${rollout.halt.gate} gate: ${rollout.halt.reason}`);
  }
}
