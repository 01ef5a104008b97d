export { AuditCheckpoints } from './audit-checkpoints.service';
export { AuditSelfCheck } from './audit-self-check.service';
