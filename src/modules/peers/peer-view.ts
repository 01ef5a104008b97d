import { Injectable } from '@nestjs/common';
import { DesiredPeer, EffectivePeerSettings } from '../../common/domain/desired-state';
import { ViewExtensions } from '../../common/http/view-extensions';
import { PeerEntity } from './peer.entity';

@Injectable()
export class PeerViewExtensions extends ViewExtensions<PeerEntity> {}

/** The API shape of a peer (CONTRACT §3): whether keys are held, never the keys. */
export function toPeerView(
  peer: PeerEntity,
  effective: EffectivePeerSettings,
  extras: Record<string, unknown> = {},
) {
  return {
    id: peer.id,
    node_id: peer.nodeId,
    name: peer.name,
    public_key: peer.publicKey,
    allowed_ips: peer.allowedIps,
    dns: peer.dns,
    mtu: peer.mtu,
    persistent_keepalive: peer.persistentKeepalive,
    endpoint_allowed_ips: peer.endpointAllowedIps,
    // An adopted peer's preshared key is known only by its hash, which drift compares all the same.
    has_preshared_key: peer.presharedKeySha256 !== null,
    has_private_key: peer.privateKeySealed !== null,
    enabled: peer.enabled,
    origin: peer.origin,
    effective,
    ...extras,
    version: peer.version,
    created_at: peer.createdAt.toISOString(),
    updated_at: peer.updatedAt.toISOString(),
  };
}

export type PeerView = ReturnType<typeof toPeerView>;

export function toDesiredPeer(peer: PeerEntity): DesiredPeer {
  return {
    id: peer.id,
    node_id: peer.nodeId,
    name: peer.name,
    public_key: peer.publicKey,
    allowed_ips: peer.allowedIps,
    dns: peer.dns,
    mtu: peer.mtu,
    persistent_keepalive: peer.persistentKeepalive,
    endpoint_allowed_ips: peer.endpointAllowedIps,
    preshared_key_sha256: peer.presharedKeySha256,
    enabled: peer.enabled,
  };
}
