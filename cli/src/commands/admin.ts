import { Command, Option } from 'commander';
import { CliError } from '../exit-codes';
import { tokenRoleValues, webhookEventTypeValues } from '@wgfleet/client';
import type { TokenRole, WebhookEventType } from '../api-types';
import { choice, list } from '../field-options';
import { withOutputOption } from '../output';
import { examples, Runtime } from '../runtime';
import { formatScope, scopeFor, scopeOption, type ScopeArgument } from '../scopes';

export function registerAdminCommands(program: Command, runtime: Runtime): void {
  const tokens = program.command('tokens').description('API tokens (admin)');
  examples(
    withOutputOption(tokens.command('ls').description('list the tokens (never their secrets)')),
    'wgfleet tokens ls',
  ).action(
    runtime.act(async (_options, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const items = await panel.listTokens();
      if (out.json) out.printJson(items);
      else
        out.table(
          ['NAME', 'ID', 'ROLE', 'SCOPE', 'CREATED', 'REVOKED'],
          items.map((t) => [t.name, t.id, t.role, formatScope(t.scope), t.created_at, t.revoked_at]),
        );
    }),
  );
  examples(
    withOutputOption(
      tokens
        .command('create')
        .description('create a token; its secret is printed once')
        .argument('<name>')
        .addOption(
          new Option('--role <role>', 'what it may do').choices(tokenRoleValues).makeOptionMandatory(),
        )
        .addOption(scopeOption().default({ all: true }, 'all')),
    ),
    'wgfleet tokens create ci-drift-check --role read',
    'wgfleet tokens create eu-deployer --role write --scope tag=region=eu',
  ).action(
    runtime.act(async (name: string, options: { role: TokenRole; scope: ScopeArgument }, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const created = await panel.createToken(name, options.role, await scopeFor(panel, options.scope));
      if (out.json) out.printJson(created);
      else {
        out.line(created.token);
        out.note(
          `token ${created.name} (${created.role} on ${formatScope(created.scope)}, id ${created.id}); it is shown only now, store it safely`,
        );
      }
    }),
  );
  examples(
    withOutputOption(tokens.command('rm').description('revoke a token').argument('<token>', 'id or name')),
    'wgfleet tokens rm ci-drift-check',
  ).action(
    runtime.act(async (ref: string, _options, command) => {
      const panel = await runtime.panel(command);
      const found = (await panel.listTokens()).find((t) => t.id === ref || t.name === ref);
      if (!found) throw new CliError(`no token "${ref}" (wgfleet tokens ls)`);
      await panel.revokeToken(found.id);
      runtime
        .out(command)
        .result(`revoked token ${found.name}`, { revoked: { id: found.id, name: found.name } });
    }),
  );

  const webhooks = program.command('webhooks').description('webhook subscriptions (admin)');
  examples(
    withOutputOption(webhooks.command('ls').description('list the subscriptions')),
    'wgfleet webhooks ls',
  ).action(
    runtime.act(async (_options, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const items = await panel.listWebhooks();
      if (out.json) out.printJson(items);
      else
        out.table(
          ['URL', 'ID', 'EVENTS', 'ENABLED'],
          items.map((w) => [w.url, w.id, w.events.length ? w.events : 'all', w.enabled]),
        );
    }),
  );
  examples(
    withOutputOption(
      webhooks
        .command('add')
        .description('subscribe a URL; the signing secret is printed once')
        .argument('<url>')
        .option('--events <list>', 'only these event types (comma-separated); all when omitted', (value) =>
          list(value).map(choice(webhookEventTypeValues)),
        )
        .option('--description <text>', 'what it is for'),
    ),
    'wgfleet webhooks add https://hooks.example.com/wgfleet --events drift.detected,node.unreachable',
  ).action(
    runtime.act(
      async (url: string, options: { events?: WebhookEventType[]; description?: string }, command) => {
        const panel = await runtime.panel(command);
        const out = runtime.out(command);
        const created = await panel.createWebhook({
          url,
          events: options.events,
          description: options.description,
        });
        if (out.json) out.printJson(created);
        else {
          out.line(created.secret);
          out.note(`webhook ${created.id} for ${created.url}; the secret above is shown only now`);
        }
      },
    ),
  );
  examples(
    withOutputOption(webhooks.command('rm').description('delete a subscription').argument('<id>')),
    'wgfleet webhooks rm 4f1c…',
  ).action(
    runtime.act(async (id: string, _options, command) => {
      const panel = await runtime.panel(command);
      const webhook = await panel.getWebhook(id);
      await panel.deleteWebhook(webhook.id, webhook.version);
      runtime
        .out(command)
        .result(`deleted webhook ${webhook.url}`, { deleted: { id: webhook.id, url: webhook.url } });
    }),
  );
  examples(
    withOutputOption(
      webhooks.command('deliveries').description('the delivery log of a subscription').argument('<id>'),
    ),
    'wgfleet webhooks deliveries 4f1c…',
  ).action(
    runtime.act(async (id: string, _options, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const items = await panel.listDeliveries(id);
      if (out.json) out.printJson(items);
      else
        out.table(
          ['ID', 'EVENT', 'STATUS', 'ATTEMPTS', 'CREATED', 'DELIVERED'],
          items.map((d) => [d.id, d.event_type, d.status, d.attempt_count, d.created_at, d.delivered_at]),
        );
    }),
  );
}
