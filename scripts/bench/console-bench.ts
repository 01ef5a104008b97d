/**
 * The web console's own cost: the fleet page with 500 nodes in headless Chromium (navigation start → every row
 * on screen with its status), and the size of its JavaScript bundle gzipped. A small local server answers
 * the built console and the panel's answers as fixtures, so the figure is the console's, not the scans'.
 *
 * Needs the console built (npm run build) and Chromium (/usr/bin/chromium).
 * Usage: npx ts-node scripts/bench/console-bench.ts [--nodes 500] [--runs 7] [--json out.json]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONSOLE_DIST_DIR } from '../../src/console/console-routes';
import { launchChromium } from '../../test/console/support/console-browser';
import { BenchRow, emitRows, numberArg, percentile } from './bench-report';

const READY_TARGET_MS = 1000;
const BUNDLE_TARGET_KB = 150;
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html',
};

function fleetFixture(count: number) {
  const now = new Date().toISOString();
  const statuses = ['in_sync', 'in_sync', 'in_sync', 'drift', 'unknown'] as const;
  const nodes = Array.from({ length: count }, (_, index) => ({
    id: `00000000-0000-4000-8000-${index.toString().padStart(12, '0')}`,
    name: `node-${index.toString().padStart(3, '0')}`,
    agent_url: `https://10.0.${index >> 8}.${index & 255}:8420`,
    interface: 'wg0',
    endpoint: `node-${index}.vpn.example.com:51820`,
    address_pool: '10.100.0.0/16',
    enabled: index % 50 !== 49,
    version: 1,
  }));
  const reports = nodes
    .filter((node) => node.enabled)
    .map((node, index) => {
      const status = statuses[index % statuses.length];
      return {
        node_id: node.id,
        node_name: node.name,
        checked_at: now,
        status,
        has_drift: status === 'drift',
        ...(status === 'unknown' ? { error: 'agent did not answer within 5000 ms' } : {}),
        summary: {
          expected: 120,
          actual: status === 'drift' ? 118 : 120,
          missing: status === 'drift' ? 2 : 0,
          mismatched: status === 'drift' ? 1 : 0,
          orphaned: 0,
          unknown: 0,
          interface: 0,
          pending: 0,
        },
      };
    });
  const history = (nodeId: string) => ({
    items: Array.from({ length: 16 }, (_, index) => ({
      id: `${nodeId}-${index}`,
      node_id: nodeId,
      trigger: 'schedule',
      status: index % 7 === 3 ? 'drift' : 'in_sync',
      status_changed: false,
      summary: reports[0].summary,
      error: null,
      checked_at: new Date(Date.now() - index * 300_000).toISOString(),
      duration_ms: 40,
    })),
  });
  return {
    nodes: { items: nodes },
    fleet: {
      checked_at: now,
      summary: { nodes: reports.length, in_sync: 0, drift: 0, unknown: 0 },
      nodes: reports,
    },
    history,
  };
}

function bundleGzipKb(): { js: number; css: number } {
  const assets = join(CONSOLE_DIST_DIR, 'assets');
  const size = (extension: string) =>
    readdirSync(assets)
      .filter((file) => file.endsWith(extension))
      .reduce((total, file) => total + gzipSync(readFileSync(join(assets, file))).length, 0) / 1024;
  return { js: size('.js'), css: size('.css') };
}

/** The built console and fixture answers, as the panel would serve them. */
function fixtureServer(fixture: ReturnType<typeof fleetFixture>): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://bench');
    const json = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/api/me') return json({ token_id: 'bench', role: 'admin', name: 'bench' });
    if (url.pathname === '/api/nodes') return json(fixture.nodes);
    if (url.pathname === '/api/drift/nodes') return json(fixture.fleet);
    const history = /^\/api\/drift\/nodes\/([^/]+)\/history$/.exec(url.pathname);
    if (history) return json(fixture.history(history[1]));
    const file = url.pathname.startsWith('/assets/') ? url.pathname : '/index.html';
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(join(CONSOLE_DIST_DIR, file)));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main(): Promise<void> {
  const count = numberArg('nodes', 500);
  const runs = numberArg('runs', 7);
  const fixture = fleetFixture(count);
  const server = await fixtureServer(fixture);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const readyTimes: number[] = [];
  const shellTimes: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript("sessionStorage.setItem('wgfleet.console.token', 'bench-token')");
      const page = await context.newPage();
      await page.goto(`${origin}/`, { waitUntil: 'commit' });
      // Times are taken in the page, in the first animation frame that shows the shell, then every row.
      const shell = await page.waitForFunction(
        "document.querySelector('.top nav') && performance.now()",
        undefined,
        {
          timeout: 30000,
          polling: 'raf',
        },
      );
      shellTimes.push((await shell.jsonValue()) as number);
      const ready = await page.waitForFunction(
        `document.querySelectorAll('table.fleet tbody tr[data-status]').length === ${count} && performance.now()`,
        undefined,
        { timeout: 30000, polling: 'raf' },
      );
      readyTimes.push((await ready.jsonValue()) as number);
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const bundle = bundleGzipKb();
  const median = percentile(readyTimes, 50);
  const shellMedian = percentile(shellTimes, 50);
  const rows: BenchRow[] = [
    {
      figure: `fleet page with ${count} nodes ready (median of ${runs})`,
      target: `<= ${READY_TARGET_MS} ms`,
      measured: median,
      unit: 'ms',
      // The floor: the same page's shell (bundle loaded, token checked), before any fleet data.
      floor: shellMedian,
      ratio: median / shellMedian,
      ok: median <= READY_TARGET_MS,
    },
    {
      figure: `fleet page with ${count} nodes ready (slowest of ${runs})`,
      target: 'reported',
      measured: Math.max(...readyTimes),
      unit: 'ms',
      floor: null,
      ratio: null,
      ok: true,
    },
    {
      figure: 'JS bundle, gzipped',
      target: `<= ${BUNDLE_TARGET_KB} KB`,
      measured: bundle.js,
      unit: 'KB',
      floor: null,
      ratio: null,
      ok: bundle.js <= BUNDLE_TARGET_KB,
    },
    {
      figure: 'CSS, gzipped',
      target: 'reported',
      measured: bundle.css,
      unit: 'KB',
      floor: null,
      ratio: null,
      ok: true,
    },
  ];
  emitRows(rows);
  process.exitCode = rows.every((row) => row.ok) ? 0 : 1;
}

void main();
