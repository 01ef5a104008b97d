import type { ReconcileError, ReconcileResult } from '../../node-apply/domain/plan-apply';
import type { ReconcileJobStatus } from '../reconcile-job.entity';

/** Per-peer errors of one job that say the same thing, so nine identical failures read as one line. */
export interface ReconcileErrorGroup {
  operation: ReconcileError['operation'];
  message: string;
  public_keys: string[];
}

/** A finished job the operator should see: it failed, or it finished with per-peer errors (partial). */
export function isProblemJob(status: ReconcileJobStatus, result: ReconcileResult | null): boolean {
  return status === 'failed' || (status === 'succeeded' && (result?.errors.length ?? 0) > 0);
}

/** Groups errors by operation and message, largest group first, each keeping its peers' keys in order. */
export function groupReconcileErrors(errors: readonly ReconcileError[]): ReconcileErrorGroup[] {
  const groups = new Map<string, ReconcileErrorGroup>();
  for (const error of errors) {
    const key = `${error.operation}\n${error.message}`;
    const group = groups.get(key) ?? { operation: error.operation, message: error.message, public_keys: [] };
    group.public_keys.push(error.public_key);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.public_keys.length - a.public_keys.length);
}
