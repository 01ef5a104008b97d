import type {
  BatchResponse,
  Dump,
  DumpInterface,
  DumpPeer,
  HealthResponse,
  InterfaceInfo,
  InterfacesResponse,
  SyncconfResponse,
} from '@wgfleet/protocol';
import { isWireGuardKey } from '@wgfleet/protocol';
import { cidrProblem, isValidEndpoint } from '../../../common/validation/validators';

/**
 * Everything the panel takes from an agent is checked here, field by field, with the rules API input
 * follows: an agent (or anyone on a plain-HTTP path to it) must not be able to put a line break into a
 * client config, a string where a number belongs, or a million allowed IPs into the database.
 */
export class InvalidAnswerError extends Error {
  constructor(
    readonly field: string,
    sentence: string,
  ) {
    super(sentence);
    this.name = 'InvalidAnswerError';
  }
}

/**
 * The reason code of an interface that is up but has no private key yet (`wg` shows its keys as "(none)" and
 * the agent reports an empty public key): it is being set up, not lying, so it is not an invalid answer.
 */
export const INTERFACE_NOT_READY = 'interface_not_ready';

export class InterfaceNotReadyError extends Error {
  constructor() {
    super('the interface is up but has no private key yet');
    this.name = 'InterfaceNotReadyError';
  }
}

/** Whether a stored scan error says the interface was not ready (errors start with their reason code). */
export function isInterfaceNotReady(error: string | null | undefined): boolean {
  return error?.startsWith(`${INTERFACE_NOT_READY}:`) ?? false;
}

function fail(field: string, problem: string): never {
  throw new InvalidAnswerError(field, `${field} ${problem}`);
}

/** wg never reports more per peer; a longer list is not WireGuard talking. */
const MAX_ALLOWED_IPS = 4096;
const MAX_MESSAGE_CHARS = 1000;

/**
 * Strings already found valid. Checking a CIDR or endpoint costs microseconds (an IPv6 one most), a
 * 20,000-peer dump holds some 60,000, and scan after scan repeats them: remembered, a repeated dump costs
 * set lookups. Each set is emptied when full, which bounds its memory.
 */
class KnownValid {
  private readonly seen = new Set<string>();
  constructor(private readonly isValid: (value: string) => boolean) {}

  check(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    if (this.seen.has(value)) return true;
    if (!this.isValid(value)) return false;
    if (this.seen.size >= 131_072) this.seen.clear();
    this.seen.add(value);
    return true;
  }
}

const knownCidrs = new KnownValid((value) => cidrProblem(value, '') === null);
const knownEndpoints = new KnownValid(isValidEndpoint);
const INTERFACE_NAME = /^[A-Za-z0-9_=+.-]{1,15}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
// C0/C1 controls and Unicode line and paragraph separators: what could start a new line in a config.
// eslint-disable-next-line no-control-regex
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

type Json = Record<string, unknown>;

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'must be an object');
  return value as Json;
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) fail(field, 'must be an array');
  return value;
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    fail(field, `must be a whole number from ${min} to ${max}`);
  return value;
}

function key(value: unknown, field: string): string {
  if (!isWireGuardKey(value)) fail(field, 'must be a WireGuard key: 44 characters of base64 (32 bytes)');
  return value;
}

/** The interface's own public key; none at all (empty or null) means the interface is not ready. */
function interfaceKey(value: unknown, field: string): string {
  if (value === '' || value === null) throw new InterfaceNotReadyError();
  return key(value, field);
}

function interfaceName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !INTERFACE_NAME.test(value))
    fail(field, 'must be an interface name (1-15 of A-Z a-z 0-9 _=+.-)');
  return value;
}

/** A free-text message from the agent, kept on one line and short. */
function message(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'must be a string');
  const oneLine = value.replace(LINE_BREAKING, ' ');
  return oneLine.length > MAX_MESSAGE_CHARS ? `${oneLine.slice(0, MAX_MESSAGE_CHARS)}…` : oneLine;
}

function checkCidr(value: unknown, field: string): void {
  if (knownCidrs.check(value)) return;
  throw new InvalidAnswerError(field, cidrProblem(value, field) ?? `${field} must be a CIDR`);
}

function dumpInterface(value: unknown, field: string): DumpInterface {
  const item = object(value, field);
  return {
    name: interfaceName(item.name, `${field}.name`),
    public_key: interfaceKey(item.public_key, `${field}.public_key`),
    listen_port: integer(item.listen_port, `${field}.listen_port`, 0, 65535),
    fwmark: item.fwmark === null ? null : integer(item.fwmark, `${field}.fwmark`, 0, 0xffffffff),
    // Agents older than interface settings leave the MTU out: unknown, not absent.
    ...(item.mtu === undefined ? {} : { mtu: optionalMtu(item.mtu, `${field}.mtu`) }),
  };
}

function optionalMtu(value: unknown, field: string): number | null {
  return value === null ? null : integer(value, field, 0, 0xffffffff);
}

export function dumpPeer(value: unknown, field: string): DumpPeer {
  const item = object(value, field);
  const psk = item.preshared_key_sha256;
  if (psk !== null && (typeof psk !== 'string' || !SHA256_HEX.test(psk)))
    fail(`${field}.preshared_key_sha256`, 'must be null or 64 lower-case hex digits');
  const endpoint = item.endpoint;
  if (endpoint !== null && !knownEndpoints.check(endpoint))
    fail(`${field}.endpoint`, 'must be null or host:port');
  const allowedIps = array(item.allowed_ips, `${field}.allowed_ips`);
  if (allowedIps.length > MAX_ALLOWED_IPS)
    fail(`${field}.allowed_ips`, `must have at most ${MAX_ALLOWED_IPS} items`);
  for (let i = 0; i < allowedIps.length; i++) checkCidr(allowedIps[i], `${field}.allowed_ips[${i}]`);
  return {
    public_key: key(item.public_key, `${field}.public_key`),
    preshared_key_sha256: psk,
    endpoint: endpoint as string | null,
    allowed_ips: allowedIps as string[],
    latest_handshake: integer(item.latest_handshake, `${field}.latest_handshake`, 0, Number.MAX_SAFE_INTEGER),
    transfer_rx: integer(item.transfer_rx, `${field}.transfer_rx`, 0, Number.MAX_SAFE_INTEGER),
    transfer_tx: integer(item.transfer_tx, `${field}.transfer_tx`, 0, Number.MAX_SAFE_INTEGER),
    persistent_keepalive: integer(item.persistent_keepalive, `${field}.persistent_keepalive`, 0, 65535),
  };
}

export function dumpAnswer(value: unknown): Dump {
  const body = object(value, 'dump');
  const peers = array(body.peers, 'peers');
  const seen = new Set<string>();
  const checked = peers.map((peer, i) => {
    const read = dumpPeer(peer, `peers[${i}]`);
    if (seen.has(read.public_key)) fail(`peers[${i}].public_key`, 'appears twice');
    seen.add(read.public_key);
    return read;
  });
  return { interface: dumpInterface(body.interface, 'interface'), peers: checked };
}

export function peerAnswer(value: unknown): DumpPeer {
  return dumpPeer(value, 'peer');
}

export function batchAnswer(value: unknown): BatchResponse {
  const results = array(object(value, 'batch').results, 'results');
  return {
    results: results.map((result, i) => {
      const item = object(result, `results[${i}]`);
      if (item.op !== 'upsert' && item.op !== 'remove')
        fail(`results[${i}].op`, 'must be "upsert" or "remove"');
      if (typeof item.ok !== 'boolean') fail(`results[${i}].ok`, 'must be true or false');
      return {
        public_key: key(item.public_key, `results[${i}].public_key`),
        op: item.op,
        ok: item.ok,
        ...(item.error === undefined ? {} : { error: message(item.error, `results[${i}].error`) }),
      };
    }),
  };
}

export function syncconfAnswer(value: unknown): SyncconfResponse {
  const body = object(value, 'syncconf');
  const count = (field: 'added' | 'updated' | 'removed') => integer(body[field], field, 0, 1_000_000_000);
  return { added: count('added'), updated: count('updated'), removed: count('removed') };
}

export function interfaceInfoAnswer(value: unknown): InterfaceInfo {
  const body = object(value, 'interface');
  return {
    name: interfaceName(body.name, 'name'),
    public_key: interfaceKey(body.public_key, 'public_key'),
    listen_port: integer(body.listen_port, 'listen_port', 0, 65535),
    ...(body.fwmark === undefined
      ? {}
      : { fwmark: body.fwmark === null ? null : integer(body.fwmark, 'fwmark', 0, 0xffffffff) }),
    ...(body.mtu === undefined ? {} : { mtu: optionalMtu(body.mtu, 'mtu') }),
  };
}

export function interfacesAnswer(value: unknown): InterfacesResponse {
  const names = array(object(value, 'interfaces').interfaces, 'interfaces');
  return { interfaces: names.map((name, i) => interfaceName(name, `interfaces[${i}]`)) };
}

export function healthAnswer(value: unknown): HealthResponse {
  const body = object(value, 'health');
  if (body.status !== 'ok') fail('status', 'must be "ok"');
  return {
    status: 'ok',
    version: message(body.version, 'version').slice(0, 64),
    uptime_s: integer(body.uptime_s, 'uptime_s', 0, Number.MAX_SAFE_INTEGER),
  };
}

/** An error answer's message: one line, short. */
export function errorMessage(value: unknown): string | null {
  return typeof value === 'string' ? message(value, 'error.message') : null;
}
