/** Why a call to a node agent failed; `transient` says whether trying again later can help. */
export class AgentError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status: number | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No answer: refused, reset, timed out, DNS failure. */
export class AgentUnreachableError extends AgentError {
  constructor(message: string, code: string | null = null) {
    super(message, true, null, code);
  }
}

/**
 * The agent's TLS certificate was not the one configured (wrong CA, wrong name, wrong pinned fingerprint):
 * nothing was sent, and trying again will not help until the node's settings change.
 */
export class AgentTlsError extends AgentError {
  constructor(message: string, code: string | null) {
    super(message, false, null, code);
  }
}

/** 401 from the agent: wrong secret, clock skew, replay. Retrying with the same secret does not help. */
export class AgentUnauthorizedError extends AgentError {
  constructor(code: string, message: string) {
    super(`agent refused the signature (${code}): ${message}`, false, 401, code);
  }
}

/** 400/404/409: the agent understood and refused this input. */
export class AgentRejectedInputError extends AgentError {
  constructor(status: number, code: string, message: string) {
    super(message, false, status, code);
  }
}

/** 502: the agent's `wg` call failed on the node. */
export class AgentWgFailedError extends AgentError {
  constructor(message: string) {
    super(`wg failed on the node: ${message}`, false, 502, 'wg_failed');
  }
}
