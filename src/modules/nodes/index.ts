export { NODE_ADDRESS_USAGE } from './node-address-usage';
export type { NodeAddressUsageSource } from './node-address-usage';
export { NodeAgents } from './node-agents.service';
export {
  NODE_VIEW_EXTENSIONS,
  NodeView,
  NodeViewExtensions,
  NodeViewExtras,
  toDesiredNode,
} from './node-view';
export { NodeEntity } from './node.entity';
export { CLUSTER_MEMBERS, NODE_CLUSTERS, NodeScopes } from './node-scope';
export { NODE_DELETED } from './node.events';
export type { AutoReconcileMode, NodeDeleted } from './node.events';
export { RegisterNodeDto } from './nodes.dto';
export { NodesService } from './nodes.service';
export { NodesStore } from './nodes.store';
export { PUBLISHED_NODES } from './published-nodes';
