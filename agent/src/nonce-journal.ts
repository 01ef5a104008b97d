import { closeSync, fdatasyncSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { NonceCache } from '@wgfleet/protocol';
import type { Logger } from 'pino';

export const NONCE_JOURNAL_FILE = 'nonces';
const HEADER_PREFIX = 'wgfleet-agent nonces v1 since=';
const LINE = /^(\d{1,15}) ([A-Za-z0-9_-]{16,64})$/;
/** Lines beyond the live ones that may pile up before the file is rewritten with the live ones only. */
const COMPACT_SLACK_LINES = 4096;

/**
 * The nonces the agent accepted, kept in its state directory so that a restart does not forget them
 * (docs/SECURITY.md, "Replay across a restart"). One line per accepted nonce, `<seen at ms> <nonce>`, appended as it is accepted;
 * the first line says since when (unix seconds) every accepted nonce is in the file. A restart reloads the
 * nonces still inside the window and refuses only requests timestamped before that time, so neither a
 * panel whose clock runs ahead nor a restart within the same second lets a captured request replay.
 *
 * Each line is written (to the page cache) before its request is handled, which survives an agent restart;
 * `sync()` makes it durable on disk and is called before a request that changes something. When the file
 * holds many more lines than live nonces it is rewritten with the live ones (temporary file, fsync, rename).
 */
export class NonceJournal extends NonceCache {
  private fd: number;
  private linesInFile: number;
  private unsynced = false;

  private constructor(
    private readonly path: string,
    private readonly windowMs: number,
    /** Requests timestamped before this (unix seconds) may have been accepted without being recorded. */
    readonly coveredSinceS: number,
    lines: number,
  ) {
    super(windowMs / 1000);
    this.linesInFile = lines;
    this.fd = openSync(path, 'a', 0o600);
  }

  /**
   * Opens the journal of `stateDir`, reloading its live nonces. A missing or unreadable file starts a new one
   * covering from `nowMs` on: requests timestamped before the start are then refused, and the log says why.
   */
  static open(stateDir: string, windowS: number, nowMs: number, logger: Logger): NonceJournal {
    const path = join(stateDir, NONCE_JOURNAL_FILE);
    const windowMs = windowS * 1000;
    const loaded = readJournal(path);
    if (loaded.ok) {
      const journal = new NonceJournal(path, windowMs, loaded.coveredSinceS, loaded.entries.length);
      for (const [seenMs, nonce] of loaded.entries) journal.restore(nonce, seenMs, nowMs);
      journal.compact(nowMs);
      logger.info({ path, nonces: journal.size }, 'nonce journal loaded');
      return journal;
    }
    logger.warn(
      { path, problem: loaded.problem },
      `nonce journal ${loaded.problem}: requests timestamped before this start are refused`,
    );
    const coveredSinceS = Math.floor(nowMs / 1000);
    writeFileDurably(path, header(coveredSinceS));
    return new NonceJournal(path, windowMs, coveredSinceS, 0);
  }

  override remember(nonce: string, nowMs: number): boolean {
    if (!super.remember(nonce, nowMs)) return false;
    writeSync(this.fd, `${nowMs} ${nonce}\n`);
    this.unsynced = true;
    this.linesInFile += 1;
    if (this.linesInFile > 2 * this.size + COMPACT_SLACK_LINES) this.compact(nowMs);
    return true;
  }

  /** Makes every nonce accepted so far durable on disk: call before a request takes effect. */
  sync(): void {
    if (!this.unsynced) return;
    fdatasyncSync(this.fd);
    this.unsynced = false;
  }

  close(): void {
    this.sync();
    closeSync(this.fd);
  }

  /** A nonce seen by an earlier run, kept for as long as it would have been then. */
  private restore(nonce: string, seenMs: number, nowMs: number): void {
    if (seenMs + 2 * this.windowMs > nowMs) super.remember(nonce, seenMs);
  }

  /** Rewrites the file with the nonces still inside the window. */
  private compact(nowMs: number): void {
    const loaded = readJournal(this.path);
    if (!loaded.ok) throw new Error(`nonce journal ${this.path}: ${loaded.problem}`);
    const live = loaded.entries.filter(([seenMs]) => seenMs + 2 * this.windowMs > nowMs);
    writeFileDurably(
      this.path,
      header(this.coveredSinceS) + live.map(([seenMs, nonce]) => `${seenMs} ${nonce}\n`).join(''),
    );
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a', 0o600);
    this.linesInFile = live.length;
    this.unsynced = false;
  }
}

type ReadJournal =
  { ok: true; coveredSinceS: number; entries: Array<[number, string]> } | { ok: false; problem: string };

function readJournal(path: string): ReadJournal {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, problem: code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? 'error'})` };
  }
  const lines = text.split('\n');
  const since = lines[0].startsWith(HEADER_PREFIX) ? lines[0].slice(HEADER_PREFIX.length) : '';
  // A last line without its newline was cut short by a crash: the file no longer vouches for everything.
  if (!/^\d{1,12}$/.test(since) || lines[lines.length - 1] !== '') {
    return { ok: false, problem: 'is corrupt' };
  }
  const entries: Array<[number, string]> = [];
  for (const line of lines.slice(1, -1)) {
    const match = LINE.exec(line);
    if (!match) return { ok: false, problem: 'is corrupt' };
    entries.push([Number(match[1]), match[2]]);
  }
  return { ok: true, coveredSinceS: Number(since), entries };
}

function header(coveredSinceS: number): string {
  return `${HEADER_PREFIX}${coveredSinceS}\n`;
}

/** Replaces the file whole and durably: a crash leaves the old file or the new one, never half of one. */
function writeFileDurably(path: string, content: string): void {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  const dir = openSync(join(path, '..'), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
