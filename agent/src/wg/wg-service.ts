import type {
  BatchItemResult,
  BatchRequest,
  BatchResponse,
  Dump,
  DumpPeer,
  InterfaceInfo,
  SyncconfRequest,
  SyncconfResponse,
  WirePeer,
  WirePeerUpdate,
} from '@wgfleet/protocol';
import { AgentHttpError, badRequest, conflict, notFound } from '../errors';
import type { PooledBytes } from '../util/buffer-pool';
import { KeyedMutex } from '../util/keyed-mutex';
import { SingleFlight } from '../util/single-flight';
import { validateBatchKey, validateBatchPeer, type ItemCheck } from '../validation/schemas';
import type { ConfigPersister } from './config-persister';
import { countSyncChanges } from './sync-diff';
import { WgCommandError } from './wg-cli';
import type { WgDriver } from './wg-driver';

export interface ErrorLog {
  error(details: object, message: string): void;
}

interface BatchItem<T> {
  value: T;
  result: BatchItemResult;
}

/** Sees the interface's state right after a change, before any other change to it (for receipts). */
export type StateObserver = (state: Dump) => void;

/** Checks batch items one by one; a failed item, or a repeat of a key, gets its error and stays out. */
function checkItems<T>(
  op: BatchItemResult['op'],
  items: readonly unknown[],
  validate: (item: unknown, index: number) => ItemCheck<T>,
  keyOf: (value: T) => string,
): { results: BatchItemResult[]; valid: BatchItem<T>[] } {
  const seen = new Set<string>();
  const valid: BatchItem<T>[] = [];
  const results = items.map((item, index): BatchItemResult => {
    const given = typeof item === 'string' ? item : (item as { public_key?: unknown } | null)?.public_key;
    const check = validate(item, index);
    if (!check.ok)
      return { public_key: typeof given === 'string' ? given : '', op, ok: false, error: check.error };
    const key = keyOf(check.value);
    if (seen.has(key))
      return { public_key: key, op, ok: false, error: `${op}[${index}]: key appears more than once` };
    seen.add(key);
    const result: BatchItemResult = { public_key: key, op, ok: true };
    valid.push({ value: check.value, result });
    return result;
  });
  return { results, valid };
}

/**
 * The agent's operations on its interfaces: writes to one interface never interleave (one mutex per
 * interface), concurrent dumps share one `wg` call, and every change is persisted when configured.
 */
export class WgService {
  private readonly writes = new KeyedMutex<string>();
  /** Dumps as JSON, shared by every request that arrives while one is being read. */
  private readonly dumps = new SingleFlight<string, PooledBytes>();

  constructor(
    private readonly driver: WgDriver,
    private readonly persister: ConfigPersister | null,
    private readonly log: ErrorLog,
  ) {}

  /** The allowed interfaces that exist right now. */
  async existingInterfaces(allowed: readonly string[]): Promise<string[]> {
    const present = new Set(await this.driver.listInterfaces());
    return allowed.filter((name) => present.has(name));
  }

  dumpJson(iface: string): Promise<PooledBytes> {
    return this.dumps.run(iface, async () => {
      try {
        return await this.driver.dumpJson(iface);
      } catch (error) {
        await this.rethrowUnlessWgFailure(iface, error);
        throw error;
      }
    });
  }

  addPeer(iface: string, peer: WirePeer): Promise<DumpPeer> {
    return this.write(iface, async () => {
      if (await this.readPeer(iface, peer.public_key))
        throw conflict(`peer ${peer.public_key} already exists on ${iface}`);
      await this.driver.setPeers(iface, [peer]);
      return this.appliedPeer(iface, peer.public_key);
    });
  }

  updatePeer(
    iface: string,
    key: string,
    fields: WirePeerUpdate & { public_key?: string },
  ): Promise<DumpPeer> {
    if (fields.public_key !== undefined && fields.public_key !== key) {
      throw badRequest('public_key: does not match the key in the path');
    }
    return this.write(iface, async () => {
      const current = await this.readPeer(iface, key);
      if (!current) throw notFound(`peer ${key} does not exist on ${iface}`);
      // wg replaces allowed IPs on every config update, so an update without them restates the current ones.
      await this.driver.setPeers(iface, [{ allowed_ips: current.allowed_ips, ...fields, public_key: key }]);
      return this.appliedPeer(iface, key);
    });
  }

  removePeer(iface: string, key: string): Promise<void> {
    return this.write(iface, async () => {
      if (!(await this.readPeer(iface, key))) throw notFound(`peer ${key} does not exist on ${iface}`);
      await this.driver.removePeers(iface, [key]);
    });
  }

  /** Applies every valid item, even when others are invalid or rejected by wg. */
  async batch(
    iface: string,
    request: Partial<BatchRequest>,
    observe?: StateObserver,
  ): Promise<BatchResponse> {
    const upserts = checkItems('upsert', request.upsert ?? [], validateBatchPeer, (peer) => peer.public_key);
    const removals = checkItems('remove', request.remove ?? [], validateBatchKey, (key) => key);
    await this.write(iface, async () => {
      await this.applyIsolated(iface, upserts.valid, (peers) => this.driver.setPeers(iface, peers));
      await this.applyIsolated(iface, removals.valid, (keys) => this.driver.removePeers(iface, keys));
      if (observe) observe(await this.readDump(iface));
    });
    return { results: [...upserts.results, ...removals.results] };
  }

  syncconf(iface: string, request: SyncconfRequest, observe?: StateObserver): Promise<SyncconfResponse> {
    const seen = new Set<string>();
    request.peers.forEach((peer, index) => {
      if (seen.has(peer.public_key)) throw badRequest(`peers[${index}].public_key: appears more than once`);
      seen.add(peer.public_key);
    });
    return this.write(iface, async () => {
      const before = await this.readDump(iface);
      await this.driver.syncconf(iface, {
        listenPort: request.listen_port ?? before.interface.listen_port,
        fwmark: before.interface.fwmark,
        peers: request.peers,
      });
      if (observe) observe(await this.readDump(iface));
      return countSyncChanges(before.peers, request.peers);
    });
  }

  setListenPort(iface: string, port: number): Promise<InterfaceInfo> {
    return this.write(iface, async () => {
      await this.driver.setListenPort(iface, port);
      const { interface: info } = await this.readDump(iface);
      return { name: info.name, public_key: info.public_key, listen_port: info.listen_port };
    });
  }

  /** All items in one wg call; only when that fails, one call per item to find the culprits. */
  private async applyIsolated<T>(
    iface: string,
    items: BatchItem<T>[],
    apply: (values: T[]) => Promise<void>,
  ) {
    if (items.length === 0) return;
    try {
      await apply(items.map((item) => item.value));
      return;
    } catch (error) {
      await this.rethrowUnlessWgFailure(iface, error);
    }
    for (const item of items) {
      try {
        await apply([item.value]);
      } catch (error) {
        await this.rethrowUnlessWgFailure(iface, error);
        item.result.ok = false;
        item.result.error = (error as WgCommandError).message;
      }
    }
  }

  /** Serialised per interface; persists afterwards unless the request was refused before touching wg. */
  private write<T>(iface: string, change: () => Promise<T>): Promise<T> {
    return this.writes.runExclusive(iface, async () => {
      let refused = false;
      try {
        return await change();
      } catch (error) {
        refused = error instanceof AgentHttpError;
        await this.rethrowUnlessWgFailure(iface, error);
        throw error;
      } finally {
        this.dumps.forget(iface);
        if (!refused) await this.persist(iface);
      }
    });
  }

  private async readDump(iface: string): Promise<Dump> {
    try {
      return await this.driver.dump(iface);
    } catch (error) {
      await this.rethrowUnlessWgFailure(iface, error);
      throw error;
    }
  }

  private async readPeer(iface: string, key: string): Promise<DumpPeer | null> {
    try {
      return await this.driver.peer(iface, key);
    } catch (error) {
      await this.rethrowUnlessWgFailure(iface, error);
      throw error;
    }
  }

  private async appliedPeer(iface: string, key: string): Promise<DumpPeer> {
    const peer = await this.readPeer(iface, key);
    if (!peer) throw new WgCommandError('show dump', `peer ${key} is missing after it was set`);
    return peer;
  }

  /** A wg failure on an interface that does not exist is a 404, not a wg fault. */
  private async rethrowUnlessWgFailure(iface: string, error: unknown): Promise<void> {
    if (!(error instanceof WgCommandError)) throw error;
    const present = await this.driver.listInterfaces().catch(() => [iface]);
    if (!present.includes(iface)) throw notFound(`interface ${iface} does not exist on this node`);
  }

  private async persist(iface: string): Promise<void> {
    if (!this.persister) return;
    try {
      await this.persister.persist(iface);
    } catch (error) {
      this.log.error({ iface, err: (error as Error).message }, 'could not persist the interface config');
    }
  }
}
