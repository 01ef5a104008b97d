import { Command, InvalidArgumentError } from 'commander';
import type { NodeDriftReport } from '../api-types';
import { driftExitCode, EXIT } from '../exit-codes';
import { describeFailure } from '../failure';
import { Output, withOutputOption } from '../output';
import { PanelApi } from '../panel-api';
import { pollUntilInterrupted } from '../polling';
import { startProgress } from '../progress';
import { examples, Runtime } from '../runtime';
import { DRIFT_VALUES_LABEL, driftValues, shortKey } from './format';

interface DriftOptions {
  exitCode?: boolean;
  watch?: boolean;
  interval: number;
}

export function registerDriftCommand(program: Command, runtime: Runtime): void {
  const drift = withOutputOption(
    program
      .command('drift')
      .description('live drift of every enabled node, or of one node in detail')
      .argument('[node]', 'node id or name; every enabled node when omitted')
      .option('--exit-code', 'exit 0 in sync, 2 drift, 3 unknown (a node could not be checked), 1 error')
      .option('-w, --watch', 'scan again every --interval seconds until interrupted (Ctrl-C)')
      .option('--interval <seconds>', 'seconds between scans in --watch', positiveNumber, 5),
  );
  examples(
    drift,
    'wgfleet drift',
    'wgfleet drift edge-1 --exit-code || echo "edge-1 drifted"',
    'wgfleet drift --watch --interval 10',
  );
  drift.action(
    runtime.act(async (nodeRef: string | undefined, options: DriftOptions, command: Command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const nodeId = nodeRef ? (await panel.resolveNode(nodeRef)).id : undefined;
      const code = options.watch
        ? await watchDrift(panel, out, nodeId, options.interval, runtime)
        : await showDrift(panel, out, nodeId, false);
      return options.exitCode ? code : EXIT.ok;
    }),
  );
}

/** One scan, shown; answers the scan's exit code. */
async function showDrift(panel: PanelApi, out: Output, nodeId: string | undefined, quiet: boolean) {
  const progress = startProgress(
    nodeId ? 'scanning the node…' : 'scanning the fleet…',
    process.stderr,
    quiet || out.json,
  );
  try {
    if (nodeId) {
      const report = await panel.driftNode(nodeId);
      progress.done();
      if (out.json) out.printJson(report);
      else printNodeDrift(out, report);
      return driftExitCode([report.status]);
    }
    const fleet = await panel.driftAll();
    progress.done();
    if (out.json) out.printJson(fleet);
    else printFleetDrift(out, fleet.nodes, fleet.summary);
    return driftExitCode(fleet.nodes.map((node) => node.status));
  } catch (error) {
    progress.done();
    throw error;
  }
}

/**
 * Scans until interrupted, redrawing the screen on a terminal. A scan that fails is shown and the watch goes
 * on (the panel may come back); the exit code is the last scan's.
 */
async function watchDrift(
  panel: PanelApi,
  out: Output,
  nodeId: string | undefined,
  intervalS: number,
  runtime: Runtime,
): Promise<number> {
  let code: number = EXIT.ok;
  await pollUntilInterrupted(intervalS * 1000, async () => {
    if (process.stdout.isTTY && !out.json) out.write('\u001b[2J\u001b[H');
    if (!out.json) {
      out.line(out.color.dim(`every ${intervalS}s · ${new Date().toISOString()} · Ctrl-C to stop`));
      out.line();
    }
    try {
      code = await showDrift(panel, out, nodeId, true);
    } catch (error) {
      code = EXIT.error;
      out.line(out.color.red(describeFailure(error, runtime.connectionSource).message));
    }
  });
  return code;
}

export function printFleetDrift(
  out: Output,
  nodes: NodeDriftReport[],
  summary: { nodes: number; in_sync: number; drift: number; unknown: number },
): void {
  out.table(
    ['NODE', 'STATUS', 'MISSING', 'MISMATCHED', 'ORPHANED', 'UNKNOWN', 'INTERFACE', 'PENDING', 'ERROR'],
    nodes.map((node) => [
      node.node_name,
      out.status(node.status),
      node.summary.missing,
      node.summary.mismatched,
      node.summary.orphaned,
      node.summary.unknown,
      node.summary.interface,
      node.summary.pending,
      node.error,
    ]),
  );
  out.line();
  out.line(
    `${summary.nodes} node(s): ${summary.in_sync} in sync, ${summary.drift} drift, ${summary.unknown} unknown`,
  );
}

export function printNodeDrift(out: Output, report: NodeDriftReport): void {
  out.line(
    `${out.color.bold(report.node_name)}: ${out.status(report.status)} (checked ${report.checked_at})`,
  );
  if (report.error) out.line(`error: ${report.error}`);
  const rows: unknown[][] = [
    ...report.missing_peers.map((peer) => [
      'missing',
      peer.name,
      shortKey(peer.public_key),
      peer.allowed_ips,
    ]),
    ...report.mismatched_peers.map((peer) => [
      'mismatched',
      peer.name,
      shortKey(peer.public_key),
      peer.mismatches.map(driftValues).join('; '),
    ]),
    ...report.orphaned_peers.map((peer) => [
      'orphaned',
      peer.name,
      shortKey(peer.public_key),
      peer.allowed_ips,
    ]),
    ...report.unknown_peers.map((peer) => ['unknown', '-', shortKey(peer.public_key), peer.allowed_ips]),
    ...report.interface_mismatches.map((m) => ['interface', '-', '-', driftValues(m)]),
  ];
  if (rows.length > 0) {
    out.line();
    out.table(['DRIFT', 'PEER', 'PUBLIC KEY', `DETAIL: ${DRIFT_VALUES_LABEL}`], rows);
  }
  if (report.summary.pending > 0) out.line(`${report.summary.pending} change(s) not applied yet (pending)`);
}

export function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('must be a positive number');
  return number;
}
