import { completionScript, CompletionNode } from './completion';

const tree: CompletionNode = {
  name: 'wgfleet',
  description: '',
  flags: ['--context'],
  subcommands: [
    {
      name: 'nodes',
      description: 'nodes',
      flags: [],
      subcommands: [
        { name: 'ls', description: "list them (the panel's)", flags: ['--output', '-o'], subcommands: [] },
      ],
    },
    { name: 'drift', description: 'drift', flags: ['--exit-code'], subcommands: [] },
  ],
};

describe('completionScript', () => {
  it('bash offers subcommands, then the options of the command typed so far', () => {
    const script = completionScript('bash', tree);
    expect(script).toContain('"") words="nodes drift --context --help" ;;');
    expect(script).toContain('" nodes ls") words="--output -o --help" ;;');
    expect(script).toContain('" nodes"|" nodes ls"|" drift") path=');
    expect(script).toContain('complete -F _wgfleet_completion wgfleet');
  });

  it('zsh reuses the bash function through bashcompinit', () => {
    expect(completionScript('zsh', tree)).toMatch(/^#compdef wgfleet\nautoload -U \+X bashcompinit/);
  });

  it('fish completes nested subcommands and long options, quoting descriptions', () => {
    const script = completionScript('fish', tree);
    expect(script).toContain("complete -c wgfleet -n '__fish_use_subcommand' -a nodes -d 'nodes'");
    expect(script).toContain(
      "complete -c wgfleet -n '__fish_seen_subcommand_from nodes; and not __fish_seen_subcommand_from ls' -a ls -d 'list them (the panel\\'s)'",
    );
    expect(script).toContain("complete -c wgfleet -n '__fish_seen_subcommand_from drift' -l exit-code");
  });
});
