import { createHash } from 'node:crypto';
import type { NodeDriftReport } from './drift-report';

/**
 * SHA-256 (hex) of everything a report says except when it was made: two scans of a node with equal hashes
 * found exactly the same, so the second can share the first's stored report. Unlike the drift fingerprint it
 * covers every field (names, endpoints, counts, the error), because the shared report is answered as it is.
 * Equal reports built in a different key order hash differently: that costs a stored report, never a wrong one.
 */
export function reportContentHash(report: NodeDriftReport): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...report, checked_at: undefined }))
    .digest('hex');
}
