/**
 * What the nonce journal costs a signed request: the in-memory nonce check alone, the journal's append (a read
 * request: one write(2)), and the append with fdatasync (a request that changes something), per request.
 *
 * Usage: npx tsx agent/bench/nonce-journal-bench.ts [--requests 2000] [--dir DIR] (DIR on the disk the
 * agent's state directory lives on; default the system's temporary directory)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { NonceCache } from '@wgfleet/protocol';
import pino from 'pino';
import { NonceJournal } from '../src/nonce-journal';

const { values } = parseArgs({ options: { requests: { type: 'string' }, dir: { type: 'string' } } });
const requests = Number(values.requests ?? 2000);
const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'nonce-bench-'));
const nonces = Array.from({ length: requests * 3 }, () => randomBytes(16).toString('base64url'));

/** Microseconds per request, median of the runs' means. */
function measure(label: string, perRequest: (nonce: string) => void, offset: number): void {
  const runs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const slice = nonces.slice(offset, offset + requests);
    const started = performance.now();
    for (const nonce of slice) perRequest(`${nonce}${run}`);
    runs.push(((performance.now() - started) * 1000) / requests);
  }
  runs.sort((a, b) => a - b);
  process.stdout.write(`${label.padEnd(46)} ${runs[2].toFixed(1)} µs/request\n`);
}

const logger = pino({ level: 'silent' });
const cache = new NonceCache(300);
const journal = NonceJournal.open(dir, 300, Date.now(), logger);
try {
  measure('in memory only (no journal)', (nonce) => cache.remember(nonce, Date.now()), 0);
  measure('journal, read request (write(2))', (nonce) => journal.remember(nonce, Date.now()), requests);
  measure(
    'journal, changing request (write + fdatasync)',
    (nonce) => {
      journal.remember(nonce, Date.now());
      journal.sync();
    },
    2 * requests,
  );
} finally {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
}
