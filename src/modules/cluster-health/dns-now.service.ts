import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { notFound } from '../../common/http/api-error';
import { ClusterReader } from '../clusters';
import { NodesStore } from '../nodes';
import type { ClusterDnsNowView } from './cluster-health-view';
import { DnsPublisher } from './dns-publisher.service';
import { endpointAddress } from './domain/member-check';

/** "DNS now" for the console and the CLI: the published set beside what DNS answers. */
@Injectable()
export class ClusterDnsNow {
  constructor(
    private readonly orm: MikroORM,
    private readonly clusters: ClusterReader,
    private readonly nodes: NodesStore,
    private readonly dns: DnsPublisher,
  ) {}

  async read(clusterId: string): Promise<ClusterDnsNowView> {
    const em = this.orm.em.fork();
    const cluster = (await this.clusters.all(em)).find((c) => c.cluster.id === clusterId);
    if (!cluster) throw notFound('cluster', clusterId);
    const published = cluster.members.filter((m) => m.published).map((m) => m.nodeId);
    const nodes = await this.nodes.byIds(em, published);
    const addresses = nodes.flatMap((node) => endpointAddress(node.endpoint) ?? []).sort();
    const config = await this.clusters.dnsConfig(em, clusterId);
    const host = cluster.cluster.endpointHost;
    let dnsNow: string[] | null = null;
    let error: string | null = null;
    if (config) {
      try {
        dnsNow = await this.dns.readNow(config, host);
      } catch (failure) {
        error = (failure as Error).message;
      }
    }
    return {
      cluster_id: clusterId,
      host,
      provider: config?.provider ?? null,
      published: addresses,
      dns_now: dnsNow,
      error,
      in_agreement: dnsNow !== null && dnsNow.join() === addresses.join(),
    };
  }
}
