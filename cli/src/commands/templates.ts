import { Command } from 'commander';
import type { TemplateView } from '../api-types';
import { CliError } from '../exit-codes';
import { addFieldOptions, fieldsFrom, TEMPLATE_FIELDS } from '../field-options';
import { Output, withOutputOption } from '../output';
import { examples, Runtime } from '../runtime';

export function registerTemplateCommands(program: Command, runtime: Runtime): void {
  const template = program
    .command('template')
    .description('node templates: versioned settings nodes pin (docs/API.md, Templates)');

  examples(
    withOutputOption(template.command('list').description('list the templates')),
    'wgfleet template list -o json',
  ).action(
    runtime.act(async (_options, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const list = await panel.listTemplates();
      if (out.json) out.printJson(list);
      else
        out.table(
          ['NAME', 'ID', 'VERSION', 'SETTINGS'],
          list.map((item) => [item.name, item.id, item.version, JSON.stringify(item.settings)]),
        );
    }),
  );

  examples(
    withOutputOption(
      template
        .command('show')
        .description('one template, every setting')
        .argument('<template>', 'id or name'),
    ),
    'wgfleet template show branch-office',
  ).action(
    runtime.act(async (ref: string, _options, command) => {
      const panel = await runtime.panel(command);
      printTemplate(runtime.out(command), await panel.resolveTemplate(ref));
    }),
  );

  const create = addFieldOptions(
    withOutputOption(
      template.command('create').description('make a template (version 1)').argument('<name>'),
    ),
    TEMPLATE_FIELDS,
  );
  examples(
    create,
    'wgfleet template create branch-office --override-keepalive 25 --client-routes split:10.0.0.0/8',
  );
  create.action(
    runtime.act(async (name: string, options: Record<string, unknown>, command) => {
      const panel = await runtime.panel(command);
      const settings = fieldsFrom(options, TEMPLATE_FIELDS);
      printTemplate(runtime.out(command), await panel.createTemplate({ name, settings }));
    }),
  );

  const edit = addFieldOptions(
    withOutputOption(
      template
        .command('edit')
        .description(
          'change settings (only those given; `none` removes one): the next version, no node moves',
        )
        .argument('<template>', 'id or name')
        .option('--name <name>', 'rename the template'),
    ),
    TEMPLATE_FIELDS,
  );
  examples(edit, 'wgfleet template edit branch-office --interface-mtu 1380 --fwmark none');
  edit.action(
    runtime.act(async (ref: string, options: Record<string, unknown>, command) => {
      const panel = await runtime.panel(command);
      const current = await panel.resolveTemplate(ref);
      const settings = fieldsFrom(options, TEMPLATE_FIELDS);
      const name = typeof options.name === 'string' ? options.name : undefined;
      if (Object.keys(settings).length === 0 && name === undefined)
        throw new CliError('nothing to change: give --name or a setting');
      printTemplate(
        runtime.out(command),
        await panel.updateTemplate(current.id, { settings, name, version: current.version }),
      );
    }),
  );

  examples(
    withOutputOption(
      template
        .command('delete')
        .description('delete a template no node follows')
        .argument('<template>', 'id or name'),
    ),
    'wgfleet template delete branch-office',
  ).action(
    runtime.act(async (ref: string, _options, command) => {
      const panel = await runtime.panel(command);
      const found = await panel.resolveTemplate(ref);
      await panel.deleteTemplate(found.id, found.version);
      runtime.out(command).result(`deleted template ${found.name}`, {
        deleted: { kind: 'template', id: found.id, name: found.name },
      });
    }),
  );
}

function printTemplate(out: Output, template: TemplateView): void {
  if (out.json) out.printJson(template);
  else
    out.table(
      ['FIELD', 'VALUE'],
      [
        ['name', template.name],
        ['id', template.id],
        ['version', template.version],
        ...Object.entries(template.settings).map(([key, value]): [string, unknown] => [
          key,
          typeof value === 'object' ? JSON.stringify(value) : value,
        ]),
      ],
    );
}
