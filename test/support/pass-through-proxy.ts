/**
 * A pass-through HTTP proxy in front of a test panel or agent. It counts the requests per path, so a test can
 * tell how often a polling command asked, and can drop the connection of chosen paths, so a test can make one
 * route of a real server fail.
 */
import { request, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PassThroughProxy {
  url: string;
  /** Requests seen so far whose path (without the query) is `path`. */
  count: (path: string) => number;
  close: () => Promise<void>;
}

export async function startPassThroughProxy(
  target: string,
  { drop = () => false }: { drop?: (path: string) => boolean } = {},
): Promise<PassThroughProxy> {
  const counts = new Map<string, number>();
  const { hostname, port } = new URL(target);
  const server: Server = createServer((incoming, answer) => {
    const path = (incoming.url ?? '/').split('?')[0];
    counts.set(path, (counts.get(path) ?? 0) + 1);
    if (drop(path)) return incoming.socket.destroy();
    const forwarded = request(
      { hostname, port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (upstream) => {
        answer.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(answer);
      },
    );
    forwarded.on('error', () => answer.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    count: (path) => counts.get(path) ?? 0,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
