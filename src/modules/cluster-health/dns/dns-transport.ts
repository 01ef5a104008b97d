import * as dgram from 'node:dgram';
import { isIP } from 'node:net';

export interface DnsServer {
  host: string;
  port: number;
}

/** "host:port", "[v6]:port" or a bare host (port 53). */
export function parseDnsServer(text: string): DnsServer {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text.trim());
  const port = match?.[3] === undefined ? 53 : Number(match[3]);
  if (!match || port < 1 || port > 65535) throw new Error(`DNS server "${text}" is not host:port`);
  return { host: match[1] ?? match[2], port };
}

/**
 * Sends one message over UDP and resolves with the first answer carrying the same ID, or rejects after
 * `timeoutMs`. Answers from another address or with another ID are ignored, so a spoofed datagram cannot end the
 * exchange early.
 */
export function exchangeUdp(server: DnsServer, message: Buffer, timeoutMs: number): Promise<Buffer> {
  const family = isIP(server.host) === 6 ? 'udp6' : 'udp4';
  const socket = dgram.createSocket(family);
  const id = message.readUInt16BE(0);
  return new Promise<Buffer>((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      socket.close();
      settle();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new Error(`no answer from ${server.host}:${server.port} within ${timeoutMs} ms`)),
        ),
      timeoutMs,
    );
    socket.on('error', (error) => finish(() => reject(error)));
    socket.on('message', (answer, remote) => {
      if (remote.port !== server.port || answer.length < 12 || answer.readUInt16BE(0) !== id) return;
      finish(() => resolve(answer));
    });
    socket.connect(server.port, server.host, () => socket.send(message));
  });
}
