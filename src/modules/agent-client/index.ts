export { AgentClient } from './agent-client';
export { AgentError } from './agent-errors';
export type { AgentFailureReason } from './agent-errors';
