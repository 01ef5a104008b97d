export { AgentClient } from './agent-client';
export { AgentError } from './agent-errors';
