import type { DesiredNode } from '../../common/domain/desired-state';
import type { ClusterEntity } from './cluster.entity';

/**
 * The cluster as its peers see it: one node at the cluster's endpoint name with the members' shared key, whose
 * pools are the cluster's. Members' own overrides do not apply to cluster peers (they could differ between
 * members), nor do their templates; the panel defaults do.
 */
export function clusterAsDesiredNode(cluster: ClusterEntity): DesiredNode {
  return {
    id: cluster.id,
    name: cluster.name,
    interface: '',
    endpoint: `${cluster.endpointHost}:${cluster.endpointPort}`,
    address_pool: cluster.addressPool,
    address_pool_v6: cluster.addressPoolV6,
    listen_port: cluster.endpointPort,
    public_key: cluster.publicKey,
    enabled: true,
    override_listen_port: null,
    override_dns: null,
    override_mtu: null,
    override_keepalive: null,
    override_endpoint_allowed_ip: null,
    template_settings: null,
  };
}
