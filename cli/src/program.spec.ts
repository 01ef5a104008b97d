import { Command } from 'commander';
import { buildProgram } from './program';
import { Runtime } from './runtime';

function leaves(command: Command, path: string[] = []): { path: string; command: Command }[] {
  const subcommands = command.commands.filter((sub) => sub.name() !== 'help');
  if (subcommands.length === 0) return [{ path: path.join(' '), command }];
  return subcommands.flatMap((sub) => leaves(sub, [...path, sub.name()]));
}

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (chunk) => (text += chunk), writeErr: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}

describe('the wgfleet program', () => {
  const program = buildProgram(new Runtime());
  const commands = leaves(program);

  it('has the commands the issue asks for', () => {
    expect(commands.map((c) => c.path)).toEqual(
      expect.arrayContaining([
        'nodes ls',
        'nodes show',
        'nodes add',
        'nodes set',
        'nodes rm',
        'template list',
        'template show',
        'template create',
        'template edit',
        'template delete',
        'peers ls',
        'peers add',
        'peers set',
        'peers rm',
        'peers config',
        'drift',
        'plan',
        'apply',
        'jobs show',
        'jobs wait',
        'events',
        'tokens ls',
        'tokens create',
        'tokens rm',
        'webhooks ls',
        'webhooks add',
        'webhooks rm',
        'export',
        'diff',
        'sync',
        'login',
        'completion',
      ]),
    );
  });

  it.each(leaves(buildProgram(new Runtime())).map((c) => [c.path]))('%s --help shows an example', (path) => {
    const { command } = commands.find((c) => c.path === path)!;
    expect(helpOf(command)).toMatch(/\nExamples?:\n {2}\$ .*wgfleet /);
  });

  it('offers -o json on every command that prints a result', () => {
    const plain = [
      'login',
      'context use',
      'completion',
      'plan',
      'rollout plan',
      'peers config',
      'audit export',
    ];
    for (const { path, command } of commands.filter((c) => !plain.includes(c.path))) {
      expect([path, command.options.some((option) => option.long === '--output')]).toEqual([path, true]);
    }
  });
});
