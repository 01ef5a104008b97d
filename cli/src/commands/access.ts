import { Command, Option } from 'commander';
import { roleValues } from '@wgfleet/client';
import type { BindingView, Role } from '../api-types';
import { CliError } from '../exit-codes';
import { withOutputOption } from '../output';
import { examples, Runtime } from '../runtime';
import { formatScope, scopeFor, scopeOption, type ScopeArgument } from '../scopes';
import type { PanelApi } from '../panel-api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerAccessCommands(program: Command, runtime: Runtime): void {
  examples(
    withOutputOption(
      program.command('whoami').description('who the panel takes you for, and your roles where'),
    ),
    'wgfleet whoami',
  ).action(
    runtime.act(async (_options, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const me = await panel.whoAmI();
      if (out.json) out.printJson(me);
      else {
        out.line(`${me.name} (${me.kind} ${me.id})`);
        if (me.bindings.length === 0) out.note('no role anywhere: ask an admin for a binding');
        for (const binding of me.bindings) out.line(`  ${binding.role} on ${formatScope(binding.scope)}`);
      }
    }),
  );

  const bindings = program.command('bindings').description('who may do what, and where (admin of all)');
  examples(
    withOutputOption(bindings.command('ls').alias('list').description('list the role bindings')),
    'wgfleet bindings ls',
  ).action(
    runtime.act(async (_options, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const items = await panel.listBindings();
      if (out.json) out.printJson(items);
      else
        out.table(
          ['ID', 'SUBJECT', 'ROLE', 'SCOPE', 'CREATED'],
          items.map((b) => [b.id, subjectText(b), b.role, formatScope(b.scope), b.created_at]),
        );
    }),
  );
  examples(
    withOutputOption(
      bindings
        .command('add')
        .description('give a user or an identity-provider group a role on a scope')
        .addOption(
          new Option('--group <name>', "a group of the identity provider's groups claim").conflicts('user'),
        )
        .addOption(new Option('--user <user>', 'a user who signed in once: id, name or email'))
        .addOption(new Option('--role <role>', 'what it may do').choices(roleValues).makeOptionMandatory())
        .addOption(scopeOption().makeOptionMandatory()),
    ),
    'wgfleet bindings add --group eu-ops --role write --scope tag=region=eu',
  ).action(
    runtime.act(
      async (options: { group?: string; user?: string; role: Role; scope: ScopeArgument }, command) => {
        const panel = await runtime.panel(command);
        if (!options.group && !options.user) throw new CliError('say whom: --group <name> or --user <user>');
        const subject = options.group
          ? { group: options.group }
          : { user_id: await userId(panel, options.user ?? '') };
        const created = await panel.createBinding({
          subject,
          role: options.role,
          scope: await scopeFor(panel, options.scope),
        });
        runtime
          .out(command)
          .result(
            `${subjectText(created)} has ${created.role} on ${formatScope(created.scope)} (binding ${created.id})`,
            created,
          );
      },
    ),
  );
  examples(
    withOutputOption(bindings.command('rm').alias('delete').description('delete a binding').argument('<id>')),
    'wgfleet bindings rm 4f1c…',
  ).action(
    runtime.act(async (id: string, _options, command) => {
      const panel = await runtime.panel(command);
      await panel.deleteBinding(id);
      runtime.out(command).result(`deleted binding ${id}`, { deleted: { id } });
    }),
  );
}

function subjectText(binding: BindingView): string {
  return 'group' in binding.subject ? `group ${binding.subject.group}` : `user ${binding.subject.user_id}`;
}

async function userId(panel: PanelApi, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  const found = (await panel.listUsers()).filter((user) => user.name === ref || user.email === ref);
  if (found.length === 0) throw new CliError(`no user "${ref}": a user exists once they have signed in`);
  if (found.length > 1)
    throw new CliError(`"${ref}" names several users; give the id (wgfleet bindings add --user <id>)`);
  return found[0].id;
}
