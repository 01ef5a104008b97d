import { Command } from 'commander';
import type { EventView } from '../api-types';
import { Output, withOutputOption } from '../output';
import { pollUntilInterrupted } from '../polling';
import { examples, Runtime } from '../runtime';
import { positiveNumber } from './drift';

interface EventsOptions {
  node?: string;
  peer?: string;
  type?: string;
  actor?: string;
  after?: string;
  limit: number;
  follow?: boolean;
  interval: number;
}

export function registerEventsCommand(program: Command, runtime: Runtime): void {
  const events = withOutputOption(
    program
      .command('events')
      .description('the event log: every change of desired state, oldest first')
      .option('--node <node>', 'only events of this node (id or name)')
      .option('--peer <peer>', 'only events of this peer (id or name)')
      .option('--type <type>', 'only events of this type, e.g. peer.created')
      .option('--actor <id>', "only what this user or token did (its id), or a system component's name")
      .option('--after <position>', 'only events after this position')
      .option('--limit <n>', 'at most this many (without --follow)', positiveNumber, 100)
      .option('-f, --follow', 'keep printing new events until interrupted')
      .option('--interval <seconds>', 'how often --follow asks for new events', positiveNumber, 2),
  );
  examples(
    events,
    'wgfleet events --node edge-1 --limit 20',
    'wgfleet events --follow -o json | jq -c .type',
  );
  events.action(
    runtime.act(async (options: EventsOptions, command) => {
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const aggregateId = options.peer
        ? (await panel.resolvePeer(options.peer)).id
        : options.node
          ? (await panel.resolveNode(options.node)).id
          : undefined;
      const query = { aggregate_id: aggregateId, type: options.type, actor: options.actor };
      let after = options.after;
      if (!options.follow) {
        const page = await panel.listEvents({ ...query, after, limit: options.limit });
        if (out.json) out.printJson(page.items);
        else printEvents(out, page.items, true);
        return;
      }
      let header = true;
      await pollUntilInterrupted(options.interval * 1000, async () => {
        const page = await panel.listEvents({ ...query, after, limit: 1000 });
        for (const event of page.items) if (out.json) out.line(JSON.stringify(event));
        if (!out.json && page.items.length > 0) printEvents(out, page.items, header);
        if (page.items.length > 0) header = false;
        after = page.items.at(-1)?.position ?? after;
        return Boolean(page.next);
      });
    }),
  );
}

function printEvents(out: Output, items: EventView[], header: boolean): void {
  const rows = items.map((event) => [
    event.position,
    event.created_at,
    event.type,
    event.aggregate_id,
    event.version,
    event.actor ? `${event.actor.name} (${event.actor.kind}, ${event.actor.via})` : '-',
  ]);
  if (header) out.table(['POSITION', 'TIME', 'TYPE', 'AGGREGATE', 'VERSION', 'BY'], rows);
  else for (const row of rows) out.line(row.join('  '));
}
