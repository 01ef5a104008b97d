import { Command } from 'commander';
import { configPath, readCliConfig, resolveConnection } from './cli-config';
import { Output } from './output';
import { PanelApi } from './panel-api';

/** A command's action: resolves to its exit code (0 when it returns nothing). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Action = (...args: any[]) => Promise<number | void>;

/** What every command shares: the panel it talks to, where it prints, and the exit code it ends with. */
export class Runtime {
  exitCode = 0;
  /** How the connection was chosen, once one was: error advice points there. */
  connectionSource: string | undefined;

  /** Wraps an action so its exit code is kept; errors go up to `run`, which explains them. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  act(action: Action): (...args: any[]) => Promise<void> {
    return async (...args) => {
      this.exitCode = (await action(...args)) ?? 0;
    };
  }

  async panel(command: Command): Promise<PanelApi> {
    const path = configPath();
    const { context, insecure } = command.optsWithGlobals<{ context?: string; insecure?: boolean }>();
    const connection = resolveConnection({
      contextName: context ?? process.env.WGFLEET_CONTEXT,
      env: process.env,
      config: await readCliConfig(path),
      path,
    });
    this.connectionSource = connection.source;
    return new PanelApi(insecure ? { ...connection, insecure } : connection);
  }

  out(command: Command): Output {
    return Output.for(command);
  }
}

/** "Example:" lines under a command's help. */
export function examples(command: Command, ...lines: string[]): Command {
  return command.addHelpText(
    'after',
    `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`,
  );
}
