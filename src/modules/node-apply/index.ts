export { NodeInspector } from './node-inspector.service';
export { PlanExecutor } from './plan-executor.service';
export type { ApplyInput } from './plan-executor.service';
