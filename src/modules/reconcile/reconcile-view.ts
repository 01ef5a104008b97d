import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActorView } from '../../common/auth/actor-view';
import {
  AllowedIpsMismatchView,
  EndpointMismatchView,
  KeepaliveMismatchView,
  PEER_FIELD_MISMATCH_SCHEMA,
  PresharedKeyMismatchView,
} from '../drift';
import type { PeerFieldMismatch } from '../drift/domain/drift-report';
import {
  CANNOT_RESTORE_REASON,
  PlannedChange,
  PlannedInterfaceChange,
  PlannedPeer,
  PlannedRemoval,
  PlannedUpdate,
  RECONCILE_MODES,
  ReconcileMode,
  ReconcileOptions,
  ReconcilePlan,
  UnrestorablePeer,
} from '../node-apply/domain/reconcile-plan';
import type { ReconcileErrorGroup } from './domain/job-problems';
import { RECONCILE_OPERATIONS, ReconcileError, ReconcileResult } from '../node-apply/domain/plan-apply';
import {
  RECONCILE_JOB_STATUSES,
  RECONCILE_TRIGGERS,
  ReconcileJobEntity,
  ReconcileJobStatus,
  ReconcileTrigger,
} from './reconcile-job.entity';

/*
 * Response classes of the reconcile API (docs/API.md, Drift reports and repairs). Plans and results are built
 * by the pure domain code; each class implements its domain type and the controller returns the classes, so
 * the two cannot drift apart.
 */

/** The peer a plan entry is about. */
class PlanPeerRefView {
  @ApiProperty({ format: 'uuid' })
  peer_id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  public_key!: string;
}

export class PlannedPeerView extends PlanPeerRefView implements PlannedPeer {
  @ApiProperty({ type: String, isArray: true, description: 'Its addresses and routed networks' })
  allowed_ips!: string[];

  @ApiProperty({ description: 'Effective value' })
  persistent_keepalive!: number;

  @ApiProperty()
  has_preshared_key!: boolean;

  @ApiPropertyOptional({ description: 'host:port the panel sets; absent when it sets none' })
  endpoint?: string;
}

/** `from`/`to` beside a mismatch's `expected`/`actual`: the plan's own wording for the same two values. */
const FROM_TO_SCHEMA = {
  type: 'object' as const,
  required: ['from', 'to'],
  properties: {
    from: { description: "The node's value now (the mismatch's actual)" },
    to: { description: "The value after the repair (the mismatch's expected)" },
  },
};

@ApiExtraModels(AllowedIpsMismatchView, EndpointMismatchView, KeepaliveMismatchView, PresharedKeyMismatchView)
export class PlannedUpdateView extends PlannedPeerView implements PlannedUpdate {
  @ApiProperty({
    type: 'array',
    items: {
      // The mismatch's shapes without their discriminator: with one inside allOf, openapi-typescript drops
      // `field` from the generated type.
      allOf: [{ oneOf: PEER_FIELD_MISMATCH_SCHEMA.oneOf }, FROM_TO_SCHEMA],
    },
  })
  changes!: PlannedChange<PeerFieldMismatch>[];
}

export class PlannedRemovalView implements PlannedRemoval {
  @ApiProperty()
  public_key!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for a peer never managed' })
  peer_id!: string | null;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ enum: ['orphaned', 'unknown'] })
  reason!: 'orphaned' | 'unknown';
}

/** The listen port, or the MTU or fwmark the node's pinned template sets. */
export class PlannedInterfaceChangeView {
  @ApiProperty({ enum: ['listen_port', 'interface_mtu', 'fwmark'] })
  field!: PlannedInterfaceChange['field'];

  @ApiProperty()
  expected!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'null: no fwmark, or an MTU the agent does not report',
  })
  actual!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: "The node's value now (= actual)" })
  from!: number | null;

  @ApiProperty({ description: 'The value after the repair (= expected)' })
  to!: number;
}

export class UnrestorablePeerView extends PlanPeerRefView implements UnrestorablePeer {
  @ApiProperty({ enum: ['add', 'update'], description: 'What the plan would do if it held the key' })
  operation!: 'add' | 'update';

  @ApiProperty({
    enum: [CANNOT_RESTORE_REASON],
    description:
      'The way out: set a new preshared key (PATCH preshared_key or generate_preshared_key) and give it to ' +
      'the client, or restore the peer on the node',
  })
  reason!: typeof CANNOT_RESTORE_REASON;
}

export class ReconcilePlanView implements ReconcilePlan {
  @ApiProperty({ type: PlannedPeerView, isArray: true })
  add!: PlannedPeerView[];

  @ApiProperty({ type: PlannedUpdateView, isArray: true })
  update!: PlannedUpdateView[];

  @ApiProperty({ type: PlannedRemovalView, isArray: true })
  remove!: PlannedRemovalView[];

  @ApiProperty({ type: PlannedInterfaceChangeView, isArray: true })
  interface!: PlannedInterfaceChange[];

  @ApiProperty({
    type: UnrestorablePeerView,
    isArray: true,
    description: 'Peers the plan cannot restore and leaves alone; applying it never attempts them',
  })
  cannot_restore!: UnrestorablePeerView[];

  @ApiProperty({
    type: PlannedRemovalView,
    isArray: true,
    description: 'Unknown and orphaned peers these options leave on the node: drift keeps reporting them',
  })
  kept!: PlannedRemovalView[];
}

/** The answer to a dry run (200): the stored plan, to apply later with `plan_id`. */
export class ReconcileDryRunView {
  @ApiProperty({ format: 'uuid' })
  plan_id!: string;

  @ApiProperty({ type: ReconcilePlanView })
  plan!: ReconcilePlanView;
}

/** The answer to a reconcile that was queued (202). */
export class ReconcileQueuedView {
  @ApiProperty({ format: 'uuid' })
  job_id!: string;
}

export class QueuedNodeJobView {
  @ApiProperty({ format: 'uuid' })
  node_id!: string;

  @ApiProperty({ format: 'uuid' })
  job_id!: string;
}

/** The answer to a bulk reconcile (202): one queued job per node. */
export class BulkReconcileQueuedView {
  @ApiProperty({ type: QueuedNodeJobView, isArray: true })
  jobs!: QueuedNodeJobView[];

  @ApiProperty({
    description:
      "True when the caller's role covers only part of the fleet: the nodes reconciled are those of its scope",
  })
  limited_to_scope!: boolean;
}

export class ReconcileOptionsView implements ReconcileOptions {
  @ApiProperty()
  reconcile_missing!: boolean;

  @ApiProperty()
  reconcile_mismatched!: boolean;

  @ApiProperty()
  remove_orphaned!: boolean;

  @ApiProperty()
  remove_unknown!: boolean;

  @ApiProperty({ enum: RECONCILE_MODES, enumName: 'ReconcileMode' })
  mode!: ReconcileMode;

  @ApiProperty()
  dry_run!: boolean;

  @ApiPropertyOptional({ format: 'uuid' })
  plan_id?: string;

  @ApiProperty()
  allow_empty!: boolean;
}

export class ReconcileErrorView implements ReconcileError {
  @ApiProperty()
  public_key!: string;

  @ApiProperty({ enum: RECONCILE_OPERATIONS, enumName: 'ReconcileOperation' })
  operation!: ReconcileError['operation'];

  @ApiProperty()
  message!: string;
}

export class ReconcileResultView implements ReconcileResult {
  @ApiProperty({ type: String, isArray: true, description: 'Public keys of the peers added' })
  added!: string[];

  @ApiProperty({ type: String, isArray: true })
  updated!: string[];

  @ApiProperty({ type: String, isArray: true })
  removed!: string[];

  @ApiProperty({ type: ReconcileErrorView, isArray: true })
  errors!: ReconcileErrorView[];

  @ApiProperty({ description: 'Whether a scan after the changes found the node as planned' })
  verified!: boolean;
}

/** A reconcile job: what was asked, what was planned, what happened. */
export class ReconcileJobView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  node_id!: string;

  @ApiProperty({ enum: RECONCILE_JOB_STATUSES, enumName: 'ReconcileJobStatus' })
  status!: ReconcileJobStatus;

  @ApiProperty({ enum: RECONCILE_TRIGGERS, enumName: 'ReconcileTrigger' })
  trigger!: ReconcileTrigger;

  @ApiProperty({ type: ReconcileOptionsView })
  options!: ReconcileOptionsView;

  @ApiProperty({ type: ReconcilePlanView, nullable: true, description: 'null until the job has planned' })
  plan!: ReconcilePlanView | null;

  @ApiProperty({ type: ReconcileResultView, nullable: true, description: 'null until the job has finished' })
  result!: ReconcileResultView | null;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Token id of who asked; null for self-heal and the bootstrap admin token',
  })
  requested_by!: string | null;

  @ApiProperty({
    type: ActorView,
    nullable: true,
    description: 'Who asked (the system for self-heal); null on jobs from before jobs named their actor',
  })
  actor!: ActorView | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  started_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finished_at!: string | null;
}

export class ReconcileErrorGroupView implements ReconcileErrorGroup {
  @ApiProperty({ enum: RECONCILE_OPERATIONS, enumName: 'ReconcileOperation' })
  operation!: ReconcileErrorGroup['operation'];

  @ApiProperty()
  message!: string;

  @ApiProperty({ type: String, isArray: true, description: 'The peers with this error, by public key' })
  public_keys!: string[];
}

/** The node's latest finished repair when it failed or left per-peer errors; job null when it did neither. */
export class ReconcileProblemView {
  @ApiProperty({ type: ReconcileJobView, nullable: true })
  job!: ReconcileJobView | null;

  @ApiProperty({
    type: ReconcileErrorGroupView,
    isArray: true,
    description: "The job's per-peer errors, identical ones together, largest group first",
  })
  error_groups!: ReconcileErrorGroupView[];
}

export function toJobView(row: ReconcileJobEntity): ReconcileJobView {
  return {
    id: row.id,
    node_id: row.nodeId,
    status: row.status,
    trigger: row.trigger,
    options: row.options,
    plan: row.plan,
    result: row.result,
    error: row.error,
    attempts: row.attempts,
    requested_by: row.requestedBy,
    actor: row.actor,
    created_at: row.createdAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    finished_at: row.finishedAt?.toISOString() ?? null,
  };
}
