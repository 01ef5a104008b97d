import {
  isWireGuardKey,
  publicKeyFromPrivateKey,
  type BatchItemResult,
  type BatchRequest,
  type BatchResponse,
  type Dump,
  type DumpPeer,
  type InterfaceInfo,
  type InterfaceUpdateRequest,
  type SyncconfRequest,
  type SyncconfResponse,
  type WirePeer,
  type WirePeerUpdate,
} from '@wgfleet/protocol';
import { AgentHttpError, badRequest, conflict, notFound } from '../errors';
import type { PooledBytes } from '../util/buffer-pool';
import { KeyedMutex } from '../util/keyed-mutex';
import { SingleFlight } from '../util/single-flight';
import { validateBatchKey, validateBatchPeer, type ItemCheck } from '../validation/schemas';
import type { ConfigPersister } from './config-persister';
import { dumpJsonHasNoPeers } from './dump-parser';
import { parsePersistedPeers } from './persisted-config';
import { countSyncChanges } from './sync-diff';
import { WgCommandError } from './wg-cli';
import type { WgDriver } from './wg-driver';

export interface ServiceLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
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
    private readonly log: ServiceLog,
  ) {}

  /** The allowed interfaces that exist right now. */
  async existingInterfaces(allowed: readonly string[]): Promise<string[]> {
    const present = new Set(await this.driver.listInterfaces());
    return allowed.filter((name) => present.has(name));
  }

  /** An emptied interface is restored before its dump is answered, so no scan ever reports it empty. */
  dumpJson(iface: string): Promise<PooledBytes> {
    return this.dumps.run(iface, async () => {
      const json = await this.readDumpJson(iface);
      if (!this.persister || !dumpJsonHasNoPeers(json)) return json;
      const restored = await this.writes.runExclusive(iface, () => this.restoreIfEmptied(iface));
      return restored > 0 ? this.readDumpJson(iface) : json;
    });
  }

  /**
   * Restores the interface's peers from its persisted config when the interface came back empty with the same
   * key (wireguard-go or the link restarted without wg-quick), as the agent starts. Never throws: a failure is
   * logged, and the next request tries again.
   */
  async restoreAtStart(allowed: readonly string[]): Promise<void> {
    if (!this.persister) return;
    const present = await this.existingInterfaces(allowed).catch(() => []);
    for (const iface of present) {
      await this.writes
        .runExclusive(iface, () => this.restoreIfEmptied(iface))
        .catch((error: Error) =>
          this.log.error({ iface, err: error.message }, 'could not restore the interface from its config'),
        );
    }
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

  setInterface(iface: string, settings: InterfaceUpdateRequest): Promise<InterfaceInfo> {
    return this.write(iface, async () => {
      await this.driver.setInterface(iface, settings);
      const { interface: info } = await this.readDump(iface);
      return {
        name: info.name,
        public_key: info.public_key,
        listen_port: info.listen_port,
        fwmark: info.fwmark,
        mtu: info.mtu ?? null,
      };
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

  private readDumpJson(iface: string): Promise<PooledBytes> {
    return this.read(iface, () => this.driver.dumpJson(iface));
  }

  /**
   * With the interface's write lock held: when it has no peers but the same key as its persisted config, which
   * has peers, puts those peers back (preshared keys included) and answers how many. Only a wholly empty
   * interface is restored: one with some peers changed by hand is drift for the panel to show, not to undo here.
   */
  private async restoreIfEmptied(iface: string): Promise<number> {
    if (!this.persister) return 0;
    const current = await this.readDump(iface);
    if (current.peers.length > 0) return 0;
    const config = await this.persister.read(iface).catch((error: Error) => {
      this.log.error({ iface, err: error.message }, 'could not read the persisted config to restore from');
      return null;
    });
    if (config === null) return 0;
    const persisted = parsePersistedPeers(config);
    if (persisted.peerCount === 0) return 0;
    const sameKey =
      isWireGuardKey(persisted.privateKey) &&
      publicKeyFromPrivateKey(persisted.privateKey) === current.interface.public_key;
    if (!sameKey) {
      this.log.warn(
        { iface, persisted_peers: persisted.peerCount },
        'interface is empty but has another key than its persisted config: not restored',
      );
      return 0;
    }
    try {
      await this.driver.addConfig(iface, persisted.peerSections, persisted.presharedKeys);
    } catch (error) {
      // A file wg refuses must not block the interface: the request goes on, the failure is in the log.
      await this.rethrowUnlessWgFailure(iface, error);
      this.log.error(
        { iface, err: (error as Error).message },
        'could not restore the interface from its config',
      );
      return 0;
    } finally {
      this.dumps.forget(iface);
    }
    this.log.info(
      { iface, restored_peers: persisted.peerCount },
      'interface came back empty: restored its peers from the persisted config',
    );
    return persisted.peerCount;
  }

  /**
   * Serialised per interface, after an emptied interface is restored (so a change never lands on the empty one
   * and overwrites its persisted config); persists afterwards unless the request was refused before touching wg.
   */
  private write<T>(iface: string, change: () => Promise<T>): Promise<T> {
    return this.writes.runExclusive(iface, async () => {
      let refused = false;
      try {
        await this.restoreIfEmptied(iface);
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

  private readDump(iface: string): Promise<Dump> {
    return this.read(iface, () => this.driver.dump(iface));
  }

  private readPeer(iface: string, key: string): Promise<DumpPeer | null> {
    return this.read(iface, () => this.driver.peer(iface, key));
  }

  /** A read of the interface, whose wg failure on a missing interface is a 404. */
  private async read<T>(iface: string, reading: () => Promise<T>): Promise<T> {
    try {
      return await reading();
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
