/**
 * The panel as an operator runs it: `bin/wgfleet-panel` with its configuration in the environment, logging
 * to a file. Resolves once /health answers; fails at once (with the log's tail) if the panel exits instead.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitUntil } from '../../agent/test/support/wg-interface';
import { stopChild } from '../../test/e2e/support/stop-child';

export interface PanelProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startPanelProcess(env: Record<string, string>, logFile: string): Promise<PanelProcess> {
  const log = openSync(logFile, 'w');
  const child = spawn(join(__dirname, '..', '..', 'bin', 'wgfleet-panel'), [], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const url = `http://${env.HOST}:${env.PORT}`;
  const tail = () => readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`the panel exited with ${child.exitCode}:\n${tail()}`);
        return fetch(`${url}/health`).then(
          (answer) => answer.ok,
          () => false,
        );
      },
      60000,
      `the panel did not answer ${url}/health within 60 s`,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    pid: child.pid!,
    // Graceful shutdown lets running jobs finish; give it longer than an agent.
    stop: () => stopChild(child, 10000),
  };
}
