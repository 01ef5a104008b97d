/**
 * Why a call to an agent failed, as a fixed code. Only the code and a short text of ours are stored or shown
 * (drift reports, job errors): never a remote host:port or whatever a non-agent answered, so `agent_url` is not
 * a way to read other services through the panel.
 */
export type AgentFailureReason =
  | 'connect_refused'
  | 'connection_reset'
  | 'unreachable'
  | 'dns_error'
  | 'timeout'
  | 'tls_error'
  | 'bad_response_signature'
  | 'response_too_large'
  | 'invalid_response'
  | 'url_not_allowed'
  | 'interface_not_ready'
  | 'receipt_missing'
  | 'receipt_invalid'
  | `http_${number}`;

/** Why a call to a node agent failed; `transient` says whether trying again later can help. */
export class AgentError extends Error {
  constructor(
    readonly reason: AgentFailureReason,
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
  constructor(reason: AgentFailureReason, text: string, code: string | null = null) {
    super(reason, `${reason}: ${text}`, true, null, code);
  }
}

/**
 * The agent's TLS certificate was not the one configured (wrong CA, wrong name, wrong pinned fingerprint):
 * nothing was sent, and trying again will not help until the node's settings change.
 */
export class AgentTlsError extends AgentError {
  constructor(text: string, code: string | null) {
    super('tls_error', `tls_error: ${text}`, false, null, code);
  }
}

/**
 * An answer the panel will not use: not signed with the node's secret, larger than the limit, not the shape
 * the protocol promises (the field is named), or without a valid receipt from a node with a pinned key.
 */
export class AgentBadAnswerError extends AgentError {
  constructor(
    reason:
      | 'bad_response_signature'
      | 'response_too_large'
      | 'invalid_response'
      | 'url_not_allowed'
      | 'receipt_missing'
      | 'receipt_invalid',
    text: string,
    transient = false,
    status: number | null = null,
  ) {
    super(reason, `${reason}: ${text}`, transient, status);
  }
}

/** 401 from the agent: wrong secret, clock skew, replay. Retrying with the same secret does not help. */
export class AgentUnauthorizedError extends AgentError {
  constructor(code: string, message: string) {
    super('http_401', `http_401: the agent refused the signature (${code}): ${message}`, false, 401, code);
  }
}

/** 400/404/409: the agent understood and refused this input. */
export class AgentRejectedInputError extends AgentError {
  constructor(status: number, code: string, message: string) {
    super(`http_${status}`, message, false, status, code);
  }
}

/** 502: the agent's `wg` call failed on the node. */
export class AgentWgFailedError extends AgentError {
  constructor(message: string) {
    super('http_502', `wg failed on the node: ${message}`, false, 502, 'wg_failed');
  }
}

/**
 * The interface is up but has no private key yet: a node being set up. Transient: a scheduled scan tries again
 * before it stores the node as unknown, and alerts wait for a second such scan (decideAlert).
 */
export class AgentInterfaceNotReadyError extends AgentError {
  constructor(text: string) {
    super('interface_not_ready', `interface_not_ready: ${text}`, true);
  }
}
