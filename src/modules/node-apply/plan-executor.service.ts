import { Inject, Injectable } from '@nestjs/common';
import type { BatchItemResult, Dump, InterfaceUpdateRequest, WirePeer } from '@wgfleet/protocol';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AgentClient, AgentError } from '../agent-client';
import type { Divergence } from '../drift/domain/drift-report';
import { NodeAgents } from '../nodes';
import { PresharedKeyReader, type DesiredSnapshot } from '../peers';
import {
  AppliedChanges,
  RemoveOperation,
  UpsertOperation,
  blamedSyncconfIndex,
  chunkBySize,
  desiredWirePeer,
  emptyChanges,
  keptWirePeer,
  keyKeepingWirePeer,
  needsPresharedKey,
  recordBatchFailure,
  recordBatchResults,
  removalName,
  syncconfChanges,
  UNHELD_PRESHARED_KEY_ERROR,
  unrestorableErrors,
} from './domain/plan-apply';
import {
  isEmptyPlan,
  PlannedPeer,
  ReconcileOptions,
  ReconcilePlan,
  syncconfPeerSet,
} from './domain/reconcile-plan';

/** Stays well under the agent's 1 MiB body limit. */
const MAX_BATCH_BYTES = 512 * 1024;

export interface ApplyInput {
  snapshot: DesiredSnapshot;
  plan: ReconcilePlan;
  options: ReconcileOptions;
  /** The divergence and dump the plan was made from (syncconf sends the whole peer set); no dump for a blind sync. */
  divergence: Divergence;
  dump: Dump | null;
}

/**
 * Carries a plan to a node in the requested mode. One failing peer never stops the others: its error is
 * listed and the rest goes on. Transient agent errors are thrown, so the job retries with a fresh plan.
 */
@Injectable()
export class PlanExecutor {
  constructor(
    private readonly agents: NodeAgents,
    private readonly presharedKeys: PresharedKeyReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The plan's peers it cannot restore are never sent; each is listed among the errors. */
  async apply(input: ApplyInput): Promise<AppliedChanges> {
    const unrestorable = unrestorableErrors(input.plan);
    if (isEmptyPlan(input.plan)) return { ...emptyChanges(), errors: unrestorable };
    const client = this.agents.forNode(input.snapshot.node);
    let changes: AppliedChanges;
    if (input.options.mode === 'syncconf') {
      changes = await this.applySyncconf(client, input);
    } else {
      changes =
        input.options.mode === 'peer'
          ? await this.applyPeerByPeer(client, input)
          : await this.applyBatch(client, input);
    }
    // A syncconf carries the listen port itself; the rest of the interface is set on its own.
    await this.applyInterface(client, input, changes, input.options.mode === 'syncconf');
    return { ...changes, errors: [...unrestorable, ...changes.errors] };
  }

  /**
   * Faithful repair: every effective setting, the preshared key decrypted only now, for this request. A peer
   * whose preshared key the panel knows only by its hash keeps the node's key; when the node needs the key
   * itself (`keyNeeded`), the answer is that peer's error instead, never a peer stripped of its key.
   */
  private wirePeer(snapshot: DesiredSnapshot, planned: PlannedPeer, keyNeeded: boolean): WirePeer | Error {
    const peer = planned.has_preshared_key ? snapshot.peerById.get(planned.peer_id) : undefined;
    if (peer && peer.presharedKeySealed === null) {
      return keyNeeded ? new Error(UNHELD_PRESHARED_KEY_ERROR) : keyKeepingWirePeer(planned);
    }
    return desiredWirePeer(planned, peer ? this.presharedKeys.presharedKeyOf(peer) : null);
  }

  /** Upserts and removals together, in as few calls as the agent's body limit allows. */
  private async applyBatch(
    client: AgentClient,
    { snapshot, plan, dump }: ApplyInput,
  ): Promise<AppliedChanges> {
    const changes = emptyChanges();
    type Item =
      { kind: 'upsert'; op: UpsertOperation; wire: WirePeer } | { kind: 'remove'; op: RemoveOperation };
    const items: Item[] = [];
    for (const { operation, planned } of [
      ...plan.add.map((peer) => ({ operation: 'add' as const, planned: peer })),
      ...plan.update.map((peer) => ({ operation: 'update' as const, planned: peer })),
    ]) {
      const wire = this.wirePeer(snapshot, planned, needsPresharedKey(operation, planned, dump !== null));
      if (wire instanceof Error) {
        changes.errors.push({ public_key: planned.public_key, operation, message: wire.message });
        continue;
      }
      items.push({
        kind: 'upsert',
        op: { operation, name: planned.name, public_key: planned.public_key },
        wire,
      });
    }
    for (const removal of plan.remove) {
      items.push({ kind: 'remove', op: { name: removalName(removal), public_key: removal.public_key } });
    }
    for (const chunk of chunkBySize(items, MAX_BATCH_BYTES)) {
      const upserts = chunk.flatMap((item) => (item.kind === 'upsert' ? [item] : []));
      const removals = chunk.flatMap((item) => (item.kind === 'remove' ? [item.op] : []));
      const operations = upserts.map((item) => item.op);
      let answer: { results: BatchItemResult[] };
      try {
        answer = await client.batch({
          upsert: upserts.map((item) => item.wire),
          remove: removals.map((item) => item.public_key),
        });
      } catch (error) {
        // A batch refused as a whole, or one whose receipt does not check, fails each of its peers as a refused
        // syncconf does: a retry would send the same batch for the same answer, and sync_error says why.
        if (!(error instanceof AgentError) || error.transient) throw error;
        recordBatchFailure(changes, operations, removals, error.message);
        continue;
      }
      recordBatchResults(changes, operations, removals, answer.results);
    }
    return changes;
  }

  /** One call per peer, in plan order; a peer that appeared or vanished meanwhile is still brought to the plan. */
  private async applyPeerByPeer(
    client: AgentClient,
    { snapshot, plan, dump }: ApplyInput,
  ): Promise<AppliedChanges> {
    const changes = emptyChanges();
    const attempt = async (
      operation: 'add' | 'update' | 'remove',
      publicKey: string,
      call: () => Promise<unknown>,
      onSuccess: () => void,
    ) => {
      try {
        await call();
        onSuccess();
      } catch (error) {
        if (!(error instanceof AgentError) || error.transient) throw error;
        changes.errors.push({ public_key: publicKey, operation, message: error.message });
      }
    };
    const upsert = async (wire: WirePeer, preferAdd: boolean) => {
      const { public_key: key, ...fields } = wire;
      const add = () => client.addPeer(wire);
      const update = () => client.updatePeer(key, fields);
      try {
        await (preferAdd ? add() : update());
      } catch (error) {
        const raced = error instanceof AgentError && error.status === (preferAdd ? 409 : 404);
        if (!raced) throw error;
        await (preferAdd ? update() : add());
      }
    };
    const upserts = [
      ...plan.add.map((peer) => ({ operation: 'add' as const, peer })),
      ...plan.update.map((peer) => ({ operation: 'update' as const, peer })),
    ];
    for (const { operation, peer } of upserts) {
      const wire = this.wirePeer(snapshot, peer, needsPresharedKey(operation, peer, dump !== null));
      if (wire instanceof Error) {
        changes.errors.push({ public_key: peer.public_key, operation, message: wire.message });
        continue;
      }
      await attempt(
        operation,
        peer.public_key,
        () => upsert(wire, operation === 'add'),
        () => (operation === 'add' ? changes.added : changes.updated).push(peer.name),
      );
    }
    for (const removal of plan.remove) {
      const remove = () =>
        client.removePeer(removal.public_key).catch((error: unknown) => {
          if (!(error instanceof AgentError && error.status === 404)) throw error;
        });
      await attempt('remove', removal.public_key, remove, () => changes.removed.push(removalName(removal)));
    }
    return changes;
  }

  /**
   * The whole peer set in one atomic call. When the agent refuses one peer, that peer is carried as the node
   * has it (or left out if the node lacks it), its error is listed, and the rest is sent again.
   */
  private async applySyncconf(client: AgentClient, input: ApplyInput): Promise<AppliedChanges> {
    const { snapshot, plan, options, divergence, dump } = input;
    if (!dump) throw new Error('a syncconf reconcile needs the dump its plan was made from');
    const set = syncconfPeerSet({
      divergence,
      desiredPeers: snapshot.desiredPeers,
      node: snapshot.desiredNode,
      defaults: this.config.defaults,
      options,
      dump,
    });
    const listenPort = plan.interface.find((change) => change.field === 'listen_port')?.expected;
    const observed = new Map(dump.peers.map((peer) => [peer.public_key, peer]));
    const addedKeys = new Set(plan.add.map((peer) => peer.public_key));
    const updates = new Map(plan.update.map((peer) => [peer.public_key, peer]));
    const excluded = new Set<string>();
    const unrestorable = new Set(plan.cannot_restore.map((peer) => peer.public_key));
    const errors: AppliedChanges['errors'] = [];
    let peers: WirePeer[] = [];
    for (const entry of set) {
      if (entry.source === 'kept') {
        peers.push(keptWirePeer(entry.peer));
        continue;
      }
      const planned = updates.get(entry.peer.public_key) ?? entry.peer;
      const operation = addedKeys.has(planned.public_key) ? 'add' : 'update';
      const wire = this.wirePeer(snapshot, planned, needsPresharedKey(operation, planned, true));
      if (!(wire instanceof Error)) {
        peers.push(wire);
        continue;
      }
      // Carried as the node has it (or left out), like a peer the agent refused; one the plan lists as
      // unrestorable already has its error.
      excluded.add(planned.public_key);
      if (!unrestorable.has(planned.public_key))
        errors.push({ public_key: planned.public_key, operation, message: wire.message });
      const asObserved = observed.get(planned.public_key);
      if (asObserved) peers.push(keptWirePeer({ ...asObserved, reason: 'unreconciled' }));
    }
    for (;;) {
      try {
        await client.syncconf({ peers, ...(listenPort === undefined ? {} : { listen_port: listenPort }) });
        break;
      } catch (error) {
        if (!(error instanceof AgentError) || error.transient) throw error;
        const index = blamedSyncconfIndex(error.message);
        if (index === null || index >= peers.length || excluded.has(peers[index].public_key)) {
          const all = [...plan.add, ...plan.update];
          return {
            ...emptyChanges(),
            errors: all.map((peer) => ({
              public_key: peer.public_key,
              operation: addedKeys.has(peer.public_key) ? 'add' : 'update',
              message: error.message,
            })),
          };
        }
        const blamed = peers[index];
        excluded.add(blamed.public_key);
        errors.push({
          public_key: blamed.public_key,
          operation: addedKeys.has(blamed.public_key) ? 'add' : 'update',
          message: error.message,
        });
        const asObserved = observed.get(blamed.public_key);
        peers = asObserved
          ? peers.map((peer, i) =>
              i === index ? keptWirePeer({ ...asObserved, reason: 'unreconciled' }) : peer,
            )
          : peers.filter((_, i) => i !== index);
      }
    }
    return { ...syncconfChanges(plan, excluded), errors };
  }

  /** The plan's interface changes in one request; an agent's refusal is each change's error. */
  private async applyInterface(
    client: AgentClient,
    { plan, snapshot }: ApplyInput,
    changes: AppliedChanges,
    listenPortSent: boolean,
  ) {
    const wanted = plan.interface.filter((change) => !(listenPortSent && change.field === 'listen_port'));
    if (wanted.length === 0) return;
    const settings: InterfaceUpdateRequest = {};
    for (const change of wanted) {
      if (change.field === 'listen_port') settings.listen_port = change.expected;
      else if (change.field === 'interface_mtu') settings.mtu = change.expected;
      else settings.fwmark = change.expected;
    }
    try {
      await client.setInterface(settings);
    } catch (error) {
      if (!(error instanceof AgentError) || error.transient) throw error;
      for (const change of wanted) {
        changes.errors.push({
          public_key: snapshot.node.publicKey ?? '',
          operation: change.field,
          message: error.message,
        });
      }
    }
  }
}
