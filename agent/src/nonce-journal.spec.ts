import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { NONCE_JOURNAL_FILE, NonceJournal } from './nonce-journal';

const WINDOW_S = 300;
const NONCE = (i: number) => `nonce-${String(i).padStart(12, '0')}`;

describe('NonceJournal', () => {
  let dir: string;
  let lines: Array<{ msg: string; problem?: string }>;
  const logger = () =>
    pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const file = () => join(dir, NONCE_JOURNAL_FILE);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xha-journal-'));
    lines = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('remembers accepted nonces across a reopen, in an owner-only file', () => {
    const start = 1_800_000_000_000;
    const first = NonceJournal.open(dir, WINDOW_S, start, logger());
    expect(first.coveredSinceS).toBe(start / 1000);
    expect(first.remember(NONCE(1), start + 10)).toBe(true);
    expect(first.remember(NONCE(1), start + 20)).toBe(false);
    first.close();
    expect(statSync(file()).mode & 0o777).toBe(0o600);

    const second = NonceJournal.open(dir, WINDOW_S, start + 5_000, logger());
    // Still covering since the first start: nothing accepted since then is unknown to it.
    expect(second.coveredSinceS).toBe(start / 1000);
    expect(second.remember(NONCE(1), start + 6_000)).toBe(false);
    expect(second.remember(NONCE(2), start + 6_000)).toBe(true);
    second.close();
  });

  it('forgets nonces once they are outside the window, and drops them from the file on reopen', () => {
    const start = 1_800_000_000_000;
    const first = NonceJournal.open(dir, WINDOW_S, start, logger());
    first.remember(NONCE(1), start);
    first.remember(NONCE(2), start + 500_000);
    first.close();
    const later = start + 2 * WINDOW_S * 1000 + 1;
    const second = NonceJournal.open(dir, WINDOW_S, later, logger());
    expect(second.size).toBe(1);
    expect(readFileSync(file(), 'utf8').split('\n').slice(1)).toEqual([`${start + 500_000} ${NONCE(2)}`, '']);
    expect(second.remember(NONCE(1), later)).toBe(true);
    expect(second.remember(NONCE(2), later)).toBe(false);
    second.close();
  });

  it('keeps the file small: lines of expired nonces are compacted away while it runs', () => {
    const start = 1_800_000_000_000;
    const journal = NonceJournal.open(dir, 1, start, logger());
    // One nonce a second for longer than the window: only the last two seconds' stay live.
    for (let i = 0; i < 10_000; i++) journal.remember(NONCE(i), start + i * 1000);
    journal.close();
    expect(readFileSync(file(), 'utf8').split('\n').length).toBeLessThan(4200);
  });

  it.each([
    ['is missing', null],
    ['is corrupt', 'not a journal\n'],
    ['is corrupt', `wgfleet-agent nonces v1 since=1800000000\n1800000000000 ${NONCE(1)}\n18000`],
  ])('covers only from its start and says so in the log when the file %s', (problem, content) => {
    if (content !== null) writeFileSync(file(), content);
    const start = 1_900_000_000_000;
    const journal = NonceJournal.open(dir, WINDOW_S, start, logger());
    expect(journal.coveredSinceS).toBe(start / 1000);
    expect(lines).toContainEqual(
      expect.objectContaining({
        problem,
        msg: `nonce journal ${problem}: requests timestamped before this start are refused`,
      }),
    );
    expect(readFileSync(file(), 'utf8')).toBe(`wgfleet-agent nonces v1 since=${start / 1000}\n`);
    journal.close();
  });
});
