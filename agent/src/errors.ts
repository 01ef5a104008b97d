import type { AgentErrorCode } from '@wgfleet/protocol';

/** An error the API answers as `{error:{code,message}}` with its status. */
export class AgentHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: AgentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AgentHttpError';
  }
}

export const badRequest = (message: string) => new AgentHttpError(400, 'bad_request', message);
export const notFound = (message: string) => new AgentHttpError(404, 'not_found', message);
export const conflict = (message: string) => new AgentHttpError(409, 'conflict', message);
