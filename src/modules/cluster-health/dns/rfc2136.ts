import { randomInt } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import { addressSetUpdate, isInZone } from '../domain/dns-wire';
import { signTsig, TsigAlgorithm, verifyTsigAnswer } from '../domain/tsig';
import { DnsServer, exchangeUdp, parseDnsServer } from './dns-transport';

export interface Rfc2136Config {
  /** "host:port" of the primary that accepts updates. */
  server: string;
  zone: string;
  tsig_key_name: string;
  tsig_algorithm: TsigAlgorithm;
  /** Base64; never logged, never in an error message. */
  tsig_secret: string;
  ttl: number;
}

const RCODE_NAMES: Record<number, string> = {
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
};

export class DnsPublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DnsPublishError';
  }
}

/**
 * Replaces the A/AAAA sets of `host` with `addresses` through one TSIG-signed RFC 2136 UPDATE, and checks the
 * server's signed answer before calling it done.
 */
export async function publishRfc2136(
  config: Rfc2136Config,
  host: string,
  addresses: readonly string[],
  timeoutMs: number,
): Promise<void> {
  if (!isInZone(host, config.zone)) throw new DnsPublishError(`${host} is not in zone ${config.zone}`);
  const key = { name: config.tsig_key_name, algorithm: config.tsig_algorithm, secret: config.tsig_secret };
  const update = addressSetUpdate({
    id: randomInt(0, 0x10000),
    zone: config.zone,
    host,
    ttl: config.ttl,
    addresses,
  });
  const { message, requestMac } = signTsig(update, key, Math.floor(Date.now() / 1000));
  const server = parseDnsServer(config.server);
  const answer = await exchangeUdp(server, message, timeoutMs);
  const rcode = answer.readUInt16BE(2) & 0x0f;
  const verdict = verifyTsigAnswer(answer, key, requestMac, Math.floor(Date.now() / 1000));
  if (rcode !== 0) {
    // A refused update (bad key, bad time) comes back unsigned; its RCODE is all there is to report.
    throw new DnsPublishError(
      `${describe(server)} refused the update: ${RCODE_NAMES[rcode] ?? `RCODE ${rcode}`}`,
    );
  }
  if (!verdict.ok) throw new DnsPublishError(`${describe(server)} answer not verified: ${verdict.reason}`);
}

/** What `server` answers now for the A and AAAA sets of `host` (sorted); empty when it has none. */
export async function readAddresses(server: DnsServer, host: string, timeoutMs: number): Promise<string[]> {
  const sets = await Promise.all(
    (['A', 'AAAA'] as const).map(async (type) => {
      const query = dnsPacket.encode({
        type: 'query',
        id: randomInt(0, 0x10000),
        questions: [{ type, name: host, class: 'IN' }],
      });
      const answer = dnsPacket.decode(await exchangeUdp(server, query, timeoutMs));
      const rcode = answer.flags === undefined ? 0 : answer.flags & 0x0f;
      if (rcode !== 0 && rcode !== 3) {
        throw new Error(`${describe(server)} answered ${RCODE_NAMES[rcode] ?? `RCODE ${rcode}`} for ${host}`);
      }
      return (answer.answers ?? []).flatMap((record) =>
        record.type === type && record.name.toLowerCase() === host.replace(/\.$/, '').toLowerCase()
          ? [record.data]
          : [],
      );
    }),
  );
  return sets.flat().sort();
}

export { parseDnsServer };

function describe(server: DnsServer): string {
  return `DNS server ${server.host}:${server.port}`;
}
