import { Argument, Command } from 'commander';
import { CompletionNode, completionScript, Shell } from '../completion';
import { examples, Runtime } from '../runtime';

function toCompletionNode(command: Command): CompletionNode {
  return {
    name: command.name(),
    description: command.description(),
    flags: command.options.flatMap((option) => [option.long, option.short].filter((f): f is string => !!f)),
    subcommands: command.commands.filter((sub) => sub.name() !== 'help').map(toCompletionNode),
  };
}

export function registerCompletion(program: Command, runtime: Runtime): void {
  examples(
    program
      .command('completion')
      .description('print a shell completion script for bash, zsh or fish')
      .addArgument(new Argument('<shell>').choices(['bash', 'zsh', 'fish'])),
    'source <(wgfleet completion bash)',
    'wgfleet completion fish > ~/.config/fish/completions/wgfleet.fish',
  ).action(
    runtime.act(async (shell: Shell, _options, command) => {
      runtime.out(command).write(completionScript(shell, toCompletionNode(program)));
    }),
  );
}
