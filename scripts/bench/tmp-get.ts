import { Agent, request } from 'node:http';
import { cpuSeconds, spawnPanel } from './panel-process';
async function main() {
  const panel = await spawnPanel();
  const node = (await (
    await fetch(`${panel.url}/api/nodes`, {
      method: 'POST',
      headers: panel.headers,
      body: JSON.stringify({
        name: 'b',
        agent_url: 'http://127.0.0.1:9',
        interface: 'wg0',
        endpoint: 'b.example.com',
        address_pool: '10.64.0.0/16',
        listen_port: 51820,
        public_key: Buffer.alloc(32, 1).toString('base64'),
        agent_secret: 's'.repeat(40),
      }),
    })
  ).json()) as { id: string };
  const http = new Agent({ keepAlive: true, maxSockets: 8 });
  const url = new URL(panel.url);
  for (const path of ['/health', `/api/nodes/${node.id}`, '/api/nosuchroute']) {
    const get = () =>
      new Promise<void>((res, rej) => {
        const r = request(
          { host: url.hostname, port: url.port, path, agent: http, headers: panel.headers },
          (x) => {
            x.resume();
            x.on('end', res);
          },
        );
        r.on('error', rej);
        r.end();
      });
    const n = 3000;
    let next = 0;
    const c0 = cpuSeconds(panel.pid);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next++ < n) await get();
      }),
    );
    const s = (performance.now() - t0) / 1000;
    console.log(
      path.slice(0, 12),
      (n / s).toFixed(0),
      'req/s',
      (((cpuSeconds(panel.pid) - c0) * 1000) / n).toFixed(2),
      'ms CPU/req',
    );
  }
  http.destroy();
  await panel.stop();
}
main();
