/**
 * The CLI keeps the API token and client private keys where they belong: no token over plain http to another
 * host without --insecure, and `peers config --out` leaves an owner-only file even where a readable one was.
 * The panel here is a stand-in that records what reaches it: the point is what the CLI sends and writes.
 */
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { bundleCli, CliSession, cliSession } from './support/cli-process';

jest.setTimeout(60000);

const TOKEN = 'wgfleet-test-token-'.padEnd(40, 'x');
const PEER_ID = '3f2b9c1e-0d4a-4c59-9a0e-6c1f2d3e4a5b';
const CLIENT_CONFIG = '[Interface]\nPrivateKey = 4BO6WfKkyUhm8kKSbwV0l3xfR0eWDQFA4FPbq8lS7nU=\n';

/** An IPv4 address of this host that is not loopback: a panel "on another host" as the CLI sees it. */
function outsideAddress(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((address) => address.family === 'IPv4' && !address.internal);
    if (found) return found.address;
  }
  throw new Error('this host has no non-loopback IPv4 address');
}

describe('wgfleet: the token never crosses in clear by accident, configs are written owner-only', () => {
  let server: Server;
  let port: number;
  let cli: CliSession;
  const received: Array<{ url: string; authorization: string | undefined }> = [];

  beforeAll(async () => {
    await bundleCli();
    server = createServer((request: IncomingMessage, response) => {
      received.push({ url: request.url ?? '', authorization: request.headers.authorization });
      const json = (body: unknown) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.url?.startsWith('/api/nodes')) json({ items: [], next: null });
      else if (request.url === `/api/peers/${PEER_ID}`) json({ id: PEER_ID, name: 'alice-laptop' });
      else if (request.url === `/api/peers/${PEER_ID}/config`) {
        response.writeHead(200, { 'content-type': 'text/plain' }).end(CLIENT_CONFIG);
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    port = (server.address() as { port: number }).port;
    cli = await cliSession({});
  });
  afterAll(async () => {
    await cli?.cleanup();
    await new Promise((resolve) => server?.close(resolve));
  });
  beforeEach(() => (received.length = 0));

  it('refuses http:// to another host, for login and for WGFLEET_URL, before sending anything', async () => {
    const url = `http://${outsideAddress()}:${port}`;
    const login = await cli.run(['login', url, '--token-stdin'], { stdin: `${TOKEN}\n` });
    expect(login.code).toBe(1);
    expect(login.stderr).toContain(`refusing to send the API token in clear to ${outsideAddress()}:${port}`);
    expect(login.stderr).toContain('--insecure');
    const listed = await cli.run(['nodes', 'ls'], { env: { WGFLEET_URL: url, WGFLEET_TOKEN: TOKEN } });
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain('refusing to send the API token in clear');
    expect(received).toEqual([]);
    await expect(stat(cli.configPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('with --insecure logs in, remembers the choice in the context, and later commands need no flag', async () => {
    const url = `http://${outsideAddress()}:${port}`;
    const login = await cli.run(['login', url, '--insecure', '--name', 'lab', '--token-stdin'], {
      stdin: `${TOKEN}\n`,
    });
    expect(login).toMatchObject({ code: 0 });
    const saved = JSON.parse(await readFile(cli.configPath, 'utf8'));
    expect(saved.contexts.lab).toEqual({ url, token: TOKEN, insecure: true });
    expect((await cli.run(['nodes', 'ls'])).code).toBe(0);
    expect(received.map((request) => request.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it('peers config --out replaces a world-readable file by an owner-only one', async () => {
    const file = join(cli.env.HOME, 'alice.conf');
    await writeFile(file, 'an older, readable file\n');
    await chmod(file, 0o644);
    const env = { WGFLEET_URL: `http://127.0.0.1:${port}`, WGFLEET_TOKEN: TOKEN };
    const written = await cli.run(['peers', 'config', PEER_ID, '--out', file], { env });
    expect(written).toMatchObject({ code: 0 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe(CLIENT_CONFIG);
  });
});
