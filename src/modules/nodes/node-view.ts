import { Injectable } from '@nestjs/common';
import { DesiredNode } from '../../common/domain/desired-state';
import { ViewExtensions } from '../../common/http/view-extensions';
import { agentTransport } from '../agent-client/domain/agent-url-policy';
import { NodeEntity } from './node.entity';

@Injectable()
export class NodeViewExtensions extends ViewExtensions<NodeEntity> {}

/** The API shape of a node (CONTRACT §3); the agent secret is never part of it. */
export function toNodeView(node: NodeEntity, extras: Record<string, unknown> = {}) {
  return {
    id: node.id,
    name: node.name,
    agent_url: node.agentUrl,
    interface: node.interface,
    endpoint: node.endpoint,
    address_pool: node.addressPool,
    address_pool_v6: node.addressPoolV6,
    listen_port: node.listenPort,
    public_key: node.publicKey,
    enabled: node.enabled,
    override_listen_port: node.overrideListenPort,
    override_dns: node.overrideDns,
    override_mtu: node.overrideMtu,
    override_keepalive: node.overrideKeepalive,
    override_endpoint_allowed_ip: node.overrideEndpointAllowedIp,
    auto_reconcile: node.autoReconcile,
    agent_ca_cert: node.agentCaCert,
    agent_cert_fingerprint: node.agentCertFingerprint,
    agent_transport: agentTransport({
      agent_url: node.agentUrl,
      agent_ca_cert: node.agentCaCert,
      agent_cert_fingerprint: node.agentCertFingerprint,
    }),
    ...extras,
    version: node.version,
    created_at: node.createdAt.toISOString(),
    updated_at: node.updatedAt.toISOString(),
  };
}

export type NodeView = ReturnType<typeof toNodeView>;

/**
 * The `nodes` columns that make a DesiredNode, under its own (snake_case) names, for statements that read
 * a node as plain data rather than as an entity. A record of every DesiredNode key, so the compiler
 * notices a field added to DesiredNode and not read here.
 */
const DESIRED_NODE_FIELDS: Record<keyof DesiredNode, true> = {
  id: true,
  name: true,
  interface: true,
  endpoint: true,
  address_pool: true,
  address_pool_v6: true,
  listen_port: true,
  public_key: true,
  enabled: true,
  override_listen_port: true,
  override_dns: true,
  override_mtu: true,
  override_keepalive: true,
  override_endpoint_allowed_ip: true,
};
export const DESIRED_NODE_COLUMNS = Object.keys(DESIRED_NODE_FIELDS).join(', ');

export function toDesiredNode(node: NodeEntity): DesiredNode {
  return {
    id: node.id,
    name: node.name,
    interface: node.interface,
    endpoint: node.endpoint,
    address_pool: node.addressPool,
    address_pool_v6: node.addressPoolV6,
    listen_port: node.listenPort,
    public_key: node.publicKey,
    enabled: node.enabled,
    override_listen_port: node.overrideListenPort,
    override_dns: node.overrideDns,
    override_mtu: node.overrideMtu,
    override_keepalive: node.overrideKeepalive,
    override_endpoint_allowed_ip: node.overrideEndpointAllowedIp,
  };
}
