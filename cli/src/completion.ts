/** A command as shell completion needs it: its words and what may follow. */
export interface CompletionNode {
  name: string;
  description: string;
  /** Long and short flags, e.g. ["--output", "-o"]. */
  flags: string[];
  subcommands: CompletionNode[];
}

export type Shell = 'bash' | 'zsh' | 'fish';

interface PathEntry {
  path: string[];
  node: CompletionNode;
}

function walk(node: CompletionNode, path: string[] = []): PathEntry[] {
  return [{ path, node }, ...node.subcommands.flatMap((sub) => walk(sub, [...path, sub.name]))];
}

function words(node: CompletionNode): string {
  return [...node.subcommands.map((sub) => sub.name), ...node.flags, '--help'].join(' ');
}

/**
 * A bash completion function: the subcommand path typed so far selects the words offered (subcommands,
 * then options). zsh loads the same function through bashcompinit.
 */
function bashScript(root: CompletionNode): string {
  const fn = `_${root.name.replace(/\W/g, '_')}_completion`;
  const entries = walk(root);
  const known = entries
    .filter((entry) => entry.path.length > 0)
    .map((entry) => `"${' ' + entry.path.join(' ')}"`)
    .join('|');
  const cases = entries
    .map((entry) => `    "${entry.path.map((part) => ' ' + part).join('')}") words="${words(entry.node)}" ;;`)
    .join('\n');
  return `${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "$path \${COMP_WORDS[i]}" in
      ${known}) path="$path \${COMP_WORDS[i]}" ;;
    esac
  done
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F ${fn} ${root.name}
`;
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fishScript(root: CompletionNode): string {
  const lines = [`complete -c ${root.name} -f`];
  for (const { path, node } of walk(root)) {
    const seen = path.map((part) => `__fish_seen_subcommand_from ${part}`);
    const children = node.subcommands.map((sub) => sub.name);
    const notYet = children.length > 0 ? [`not __fish_seen_subcommand_from ${children.join(' ')}`] : [];
    const condition = path.length === 0 ? '__fish_use_subcommand' : [...seen, ...notYet].join('; and ');
    for (const sub of node.subcommands) {
      lines.push(
        `complete -c ${root.name} -n ${fishQuote(condition)} -a ${sub.name} -d ${fishQuote(sub.description)}`,
      );
    }
    const optionCondition = path.length === 0 ? '' : ` -n ${fishQuote(seen.join('; and '))}`;
    for (const flag of node.flags.filter((f) => f.startsWith('--'))) {
      lines.push(`complete -c ${root.name}${optionCondition} -l ${flag.slice(2)}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function completionScript(shell: Shell, root: CompletionNode): string {
  switch (shell) {
    case 'bash':
      return bashScript(root);
    case 'zsh':
      return `#compdef ${root.name}\nautoload -U +X bashcompinit && bashcompinit\n${bashScript(root)}`;
    case 'fish':
      return fishScript(root);
  }
}
