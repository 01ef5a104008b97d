export { NodeInspector } from './node-inspector.service';
export { PlanExecutor } from './plan-executor.service';
export { stalePlan } from './reconcile.service';
