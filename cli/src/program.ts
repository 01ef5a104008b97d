import { Command, CommanderError } from 'commander';
import { registerAccessCommands } from './commands/access';
import { registerAdminCommands } from './commands/admin';
import { registerAdoptCommand } from './commands/adopt';
import { registerAuditCommands } from './commands/audit';
import { registerClusterHealthCommands } from './commands/cluster-health';
import { registerClusterCommands } from './commands/clusters';
import { registerCompletion } from './commands/completion';
import { registerConnectionCommands } from './commands/connection';
import { registerDriftCommand } from './commands/drift';
import { registerEventsCommand } from './commands/events';
import { registerFleetCommands } from './commands/fleet';
import { registerNodeCommands } from './commands/nodes';
import { registerPeerCommands } from './commands/peers';
import { registerReconcileCommands } from './commands/reconcile';
import { registerRolloutCommands } from './commands/rollout';
import { registerTemplateCommands } from './commands/templates';
import { EXIT } from './exit-codes';
import { describeFailure } from './failure';
import { Runtime } from './runtime';
import { CLI_VERSION } from './version';

export function buildProgram(runtime: Runtime): Command {
  const program = new Command('wgfleet')
    .description(
      'Drift, plans and repairs, nodes, peers and fleet files of a wgfleet panel.\n' +
        'Connects with WGFLEET_URL and WGFLEET_TOKEN, or a context saved by `wgfleet login`.',
    )
    .version(CLI_VERSION)
    .option('--context <name>', 'use this context of the config file (also WGFLEET_CONTEXT)')
    .option('--no-color', 'no colour even on a terminal (NO_COLOR does the same)')
    .option('--insecure', 'allow a plain http:// panel on another host (the API token then crosses in clear)')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerConnectionCommands(program, runtime);
  registerDriftCommand(program, runtime);
  registerReconcileCommands(program, runtime);
  registerAdoptCommand(program, runtime);
  registerNodeCommands(program, runtime);
  registerTemplateCommands(program, runtime);
  registerPeerCommands(program, runtime);
  registerClusterCommands(program, runtime);
  registerClusterHealthCommands(program, runtime);
  registerFleetCommands(program, runtime);
  registerRolloutCommands(program, runtime);
  registerEventsCommand(program, runtime);
  registerAccessCommands(program, runtime);
  registerAdminCommands(program, runtime);
  registerAuditCommands(program, runtime);
  registerCompletion(program, runtime);
  return program;
}

/** Runs one command line; answers the process exit code. Failures are explained on stderr. */
export async function run(argv: string[]): Promise<number> {
  const runtime = new Runtime();
  const program = buildProgram(runtime);
  try {
    await program.parseAsync(argv);
    return runtime.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help) already.
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    process.stderr.write(`error: ${describeFailure(error, runtime.connectionSource).message}\n`);
    return describeFailure(error).exitCode;
  }
}
