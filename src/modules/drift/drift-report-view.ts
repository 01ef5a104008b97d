import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { discriminatedOneOf } from '../../common/http/api-responses';
import { DRIFT_STATUSES, DriftStatus } from '../../common/domain/drift-status';
import {
  DriftSummary,
  FleetDriftReport,
  FleetDriftSummary,
  InterfaceMismatch,
  InterfaceSettingField,
  MismatchedPeer,
  MissingPeer,
  NodeDriftReport,
  OrphanedPeer,
  PeerFieldMismatch,
  PendingPeer,
  PresharedKeyState,
  UnknownPeer,
} from './domain/drift-report';

/*
 * Response classes of the drift reports (docs/API.md, Drift reports and repairs). The reports themselves are
 * built by the pure domain code; each class implements its domain type (so no field is missing) and the
 * controllers return the classes (so the domain type has no field the class does not declare).
 */

export class DriftSummaryView implements DriftSummary {
  @ApiProperty({ description: 'Enabled desired peers of the node' })
  expected!: number;

  @ApiProperty({ description: 'Peers present on the node' })
  actual!: number;

  @ApiProperty()
  missing!: number;

  @ApiProperty()
  mismatched!: number;

  @ApiProperty()
  orphaned!: number;

  @ApiProperty()
  unknown!: number;

  @ApiProperty()
  interface!: number;

  @ApiProperty({ description: 'Changes the panel has not applied yet: its backlog, not drift' })
  pending!: number;
}

export class MissingPeerView implements MissingPeer {
  @ApiProperty({ format: 'uuid' })
  peer_id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  public_key!: string;

  @ApiProperty({ type: String, isArray: true })
  allowed_ips!: string[];
}

export class AllowedIpsMismatchView {
  @ApiProperty({ enum: ['allowed_ips'] })
  field!: 'allowed_ips';

  @ApiProperty({ type: String, isArray: true })
  expected!: string[];

  @ApiProperty({ type: String, isArray: true })
  actual!: string[];
}

export class EndpointMismatchView {
  @ApiProperty({ enum: ['endpoint'] })
  field!: 'endpoint';

  @ApiProperty({ description: 'host:port the panel sets' })
  expected!: string;

  @ApiProperty({ type: String, nullable: true, description: 'host:port the node has; null: none' })
  actual!: string | null;
}

export class KeepaliveMismatchView {
  @ApiProperty({ enum: ['persistent_keepalive'] })
  field!: 'persistent_keepalive';

  @ApiProperty()
  expected!: number;

  @ApiProperty()
  actual!: number;
}

const PRESHARED_KEY_STATES: PresharedKeyState[] = ['present', 'absent', 'different'];

export class PresharedKeyMismatchView {
  @ApiProperty({ enum: ['preshared_key'] })
  field!: 'preshared_key';

  @ApiProperty({ enum: PRESHARED_KEY_STATES, enumName: 'PresharedKeyState' })
  expected!: PresharedKeyState;

  @ApiProperty({ enum: PRESHARED_KEY_STATES, enumName: 'PresharedKeyState' })
  actual!: PresharedKeyState;
}

/** The schema of a PeerFieldMismatch: one of the field's own shapes. */
export const PEER_FIELD_MISMATCH_SCHEMA = {
  ...discriminatedOneOf('field', {
    allowed_ips: AllowedIpsMismatchView,
    endpoint: EndpointMismatchView,
    persistent_keepalive: KeepaliveMismatchView,
    preshared_key: PresharedKeyMismatchView,
  }),
};

@ApiExtraModels(AllowedIpsMismatchView, EndpointMismatchView, KeepaliveMismatchView, PresharedKeyMismatchView)
export class MismatchedPeerView implements MismatchedPeer {
  @ApiProperty({ format: 'uuid' })
  peer_id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  public_key!: string;

  @ApiProperty({ type: 'array', items: PEER_FIELD_MISMATCH_SCHEMA, description: 'Sorted by field name' })
  mismatches!: PeerFieldMismatch[];
}

export class OrphanedPeerView implements OrphanedPeer {
  @ApiProperty({ format: 'uuid' })
  peer_id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  public_key!: string;

  @ApiProperty({ type: String, isArray: true, description: 'As observed on the node' })
  allowed_ips!: string[];
}

export class UnknownPeerView implements UnknownPeer {
  @ApiProperty()
  public_key!: string;

  @ApiProperty({ type: String, isArray: true })
  allowed_ips!: string[];

  @ApiProperty({ type: String, nullable: true })
  endpoint!: string | null;

  @ApiProperty()
  persistent_keepalive!: number;
}

export class ListenPortMismatchView {
  @ApiProperty({ enum: ['listen_port'] })
  field!: 'listen_port';

  @ApiProperty()
  expected!: number;

  @ApiProperty()
  actual!: number;
}

export class PublicKeyMismatchView {
  @ApiProperty({ enum: ['public_key'] })
  field!: 'public_key';

  @ApiProperty()
  expected!: string;

  @ApiProperty()
  actual!: string;
}

/** What both interface settings' mismatches hold; each has its own class so the union tells them apart. */
abstract class InterfaceSettingMismatchFields {
  @ApiProperty({ description: "what the node's pinned template sets" })
  expected!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'null: no fwmark, or an MTU the agent does not report',
  })
  actual!: number | null;
}

export class InterfaceMtuMismatchView extends InterfaceSettingMismatchFields {
  @ApiProperty({ enum: ['interface_mtu'] })
  field!: Extract<InterfaceSettingField, 'interface_mtu'>;
}

export class FwmarkMismatchView extends InterfaceSettingMismatchFields {
  @ApiProperty({ enum: ['fwmark'] })
  field!: Extract<InterfaceSettingField, 'fwmark'>;
}

export class PendingPeerView implements PendingPeer {
  @ApiProperty({ format: 'uuid' })
  peer_id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  public_key!: string;
}

@ApiExtraModels(ListenPortMismatchView, PublicKeyMismatchView, InterfaceMtuMismatchView, FwmarkMismatchView)
export class NodeDriftReportView implements NodeDriftReport {
  @ApiProperty({ format: 'uuid' })
  node_id!: string;

  @ApiProperty()
  node_name!: string;

  @ApiProperty({ format: 'date-time' })
  checked_at!: string;

  @ApiProperty({ enum: DRIFT_STATUSES, enumName: 'DriftStatus' })
  status!: DriftStatus;

  @ApiProperty()
  has_drift!: boolean;

  @ApiPropertyOptional({ description: "Why the node's state is unknown; only with status `unknown`" })
  error?: string;

  @ApiProperty({ type: DriftSummaryView })
  summary!: DriftSummaryView;

  @ApiProperty({ type: MissingPeerView, isArray: true })
  missing_peers!: MissingPeerView[];

  @ApiProperty({ type: MismatchedPeerView, isArray: true })
  mismatched_peers!: MismatchedPeerView[];

  @ApiProperty({ type: OrphanedPeerView, isArray: true })
  orphaned_peers!: OrphanedPeerView[];

  @ApiProperty({ type: UnknownPeerView, isArray: true })
  unknown_peers!: UnknownPeerView[];

  @ApiProperty({
    type: 'array',
    items: discriminatedOneOf('field', {
      listen_port: ListenPortMismatchView,
      public_key: PublicKeyMismatchView,
      interface_mtu: InterfaceMtuMismatchView,
      fwmark: FwmarkMismatchView,
    }),
  })
  interface_mismatches!: InterfaceMismatch[];

  @ApiProperty({ type: PendingPeerView, isArray: true })
  pending_peers!: PendingPeerView[];
}

export class FleetDriftSummaryView implements FleetDriftSummary {
  @ApiProperty()
  nodes!: number;

  @ApiProperty()
  in_sync!: number;

  @ApiProperty()
  drift!: number;

  @ApiProperty()
  unknown!: number;
}

export class FleetDriftReportView implements FleetDriftReport {
  @ApiProperty({ format: 'date-time' })
  checked_at!: string;

  @ApiProperty({ type: FleetDriftSummaryView })
  summary!: FleetDriftSummaryView;

  @ApiProperty({ type: NodeDriftReportView, isArray: true })
  nodes!: NodeDriftReportView[];
}
