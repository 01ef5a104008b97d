import { expectOk } from '@wgfleet/client';
import { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parseCheckpoints, verifyExport } from '../audit-file';
import { CliError, EXIT } from '../exit-codes';
import { withOutputOption } from '../output';
import { examples, Runtime } from '../runtime';

interface VerifyOptions {
  checkpoints?: string;
  panelKey: string[];
}

export function registerAuditCommands(program: Command, runtime: Runtime): void {
  const audit = program
    .command('audit')
    .description('the tamper-evident history: export the hash-chained event log, verify it offline');

  const exportCommand = audit
    .command('export')
    .description('write the chained event log with its checkpoints and keys as NDJSON to stdout');
  examples(exportCommand, 'wgfleet audit export > log.ndjson');
  exportCommand.action(
    runtime.act(async (_options: object, command: Command) => {
      const panel = await runtime.panel(command);
      const body = await expectOk(panel.client.GET('/api/audit/export', { parseAs: 'stream' }));
      if (!body) throw new CliError('the panel sent an empty export');
      await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), process.stdout, { end: false });
    }),
  );

  const verify = withOutputOption(
    audit
      .command('verify')
      .argument('<file>', 'an export from `wgfleet audit export`')
      .description(
        'check an export offline: recompute the hash chain, check every checkpoint signature, name the first bad ' +
          'seq (exit 0 intact, 2 broken, 1 error)',
      )
      .option(
        '--checkpoints <file>',
        'checkpoints kept elsewhere (audit.checkpoint webhooks, NDJSON or JSON)',
      )
      .option(
        '--panel-key <key>',
        'trust only this panel public key (base64, from GET /api/audit/keys; repeat for rotated keys)',
        (value: string, previous: string[]) => [...previous, value],
        [],
      ),
  );
  examples(
    verify,
    'wgfleet audit verify log.ndjson',
    'wgfleet audit verify log.ndjson --checkpoints webhook-copies.ndjson --panel-key MCowBQYDK2VwAyEA...',
  );
  verify.action(
    runtime.act(async (file: string, options: VerifyOptions, command: Command) => {
      const out = runtime.out(command);
      const extra = options.checkpoints
        ? parseCheckpoints(await readText(options.checkpoints), options.checkpoints)
        : [];
      const input = createReadStream(file, 'utf8');
      const opened = new Promise<void>((resolve, reject) => {
        input.once('open', () => resolve());
        input.once('error', (error) => reject(new CliError(`cannot read ${file}: ${error.message}`)));
      });
      await opened;
      const verdict = await verifyExport(
        createInterface({ input, crlfDelay: Infinity }),
        extra,
        options.panelKey,
      );
      if (out.json) out.printJson(verdict);
      if (!verdict.ok) {
        if (!out.json) out.line(`broken at seq ${verdict.seq}: ${verdict.problem} — ${verdict.detail}`);
        return EXIT.changes;
      }
      if (!out.json) {
        const trust = options.panelKey.length > 0 ? 'pinned key' : 'keys in the export';
        out.line(
          `intact: ${verdict.events} events, head seq ${verdict.headSeq} (${verdict.headHash}), ` +
            `${verdict.checkpoints} checkpoints signed by the ${trust}`,
        );
      }
      return EXIT.ok;
    }),
  );
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
}
