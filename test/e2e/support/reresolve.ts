import type { NetworkNamespace } from '../../../agent/test/support/wg-interface';

/**
 * A client's DNS re-resolution, as wireguard-tools' reresolve-dns example does it: `wg set <if> peer <key>
 * endpoint <host>:<port>`, which makes wg resolve the name again, once the peer has gone quiet. The stock script
 * calls a peer quiet when its latest handshake is older than 135 s; this one when nothing came from it for
 * `quietMs` while the name no longer resolves to the endpoint in use (checked every `intervalMs`), the fastest a
 * client can follow DNS, so the measured failover is the panel's and WireGuard's, not a timer's. A member that
 * still answers (draining) keeps its clients, as with the stock script. docs/OPERATIONS.md ("Clusters").
 */
export interface Reresolver {
  /** When the endpoint was last set again (ms since the epoch), or null. */
  lastReresolvedAt(): number | null;
  stop(): Promise<void>;
}

export function startReresolver(
  client: NetworkNamespace,
  options: {
    interfaceName: string;
    peerKey: string;
    host: string;
    port: number;
    intervalMs: number;
    quietMs: number;
  },
): Reresolver {
  let last: number | null = null;
  let running = true;
  let received = -1;
  let receivedAt = Date.now();
  const loop = (async () => {
    while (running) {
      try {
        const answer = await client.exec('getent', ['ahostsv4', options.host]).catch(() => '');
        const resolved = new Set(
          answer
            .split('\n')
            .map((line) => line.split(/\s+/)[0])
            .filter(Boolean),
        );
        const endpoints = await client.exec('wg', ['show', options.interfaceName, 'endpoints']);
        const current = /\t([\d.]+):\d+/.exec(endpoints)?.[1];
        const rx = Number(
          /\t(\d+)\t/.exec(await client.exec('wg', ['show', options.interfaceName, 'transfer']))?.[1] ?? 0,
        );
        if (rx !== received) [received, receivedAt] = [rx, Date.now()];
        const quiet = Date.now() - receivedAt >= options.quietMs;
        if (quiet && resolved.size > 0 && (current === undefined || !resolved.has(current))) {
          await client.exec('wg', [
            'set',
            options.interfaceName,
            'peer',
            options.peerKey,
            'endpoint',
            `${options.host}:${options.port}`,
          ]);
          last = Date.now();
        }
      } catch {
        // The interface may be going away at the end of a test; the next round tells.
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    }
  })();
  return {
    lastReresolvedAt: () => last,
    async stop() {
      running = false;
      await loop;
    },
  };
}
