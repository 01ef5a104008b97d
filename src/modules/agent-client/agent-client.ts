import {
  AuthErrorCode,
  BatchRequest,
  BatchResponse,
  Dump,
  DumpPeer,
  HealthResponse,
  InterfaceInfo,
  InterfaceUpdateRequest,
  InterfacesResponse,
  RESPONSE_SIGNATURE_HEADER,
  SyncconfRequest,
  SyncconfResponse,
  WirePeer,
  WirePeerUpdate,
  checkReceipt,
  keyToPathSegment,
  type ReceiptCheck,
  signRequest,
  verifyResponse,
} from '@wgfleet/protocol';
import axios, { AxiosInstance, isAxiosError } from 'axios';
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  AgentBadAnswerError,
  AgentError,
  AgentInterfaceNotReadyError,
  AgentRejectedInputError,
  AgentTlsError,
  AgentUnauthorizedError,
  AgentUnreachableError,
  AgentWgFailedError,
} from './agent-errors';
import {
  InterfaceNotReadyError,
  InvalidAnswerError,
  batchAnswer,
  dumpAnswer,
  errorMessage,
  healthAnswer,
  interfaceInfoAnswer,
  interfacesAnswer,
  peerAnswer,
  syncconfAnswer,
} from './domain/agent-answers';
import {
  hostOf,
  hostVerdict,
  isAddressAllowed,
  type AgentUrlAllowList,
} from '../../common/domain/agent-url-policy';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../config/app-config';
import { FINGERPRINT_MISMATCH, PinnedCertificateAgent } from './pinned-agent';

/**
 * Time a `syncconf` may take per peer sent, on top of the call's timeout: wg applies the set peer by peer, and
 * wireguard-go takes about 1.2 ms a peer (20,000 peers with a keepalive in 24 s) on a busy 2-core machine.
 */
export const SYNCCONF_MS_PER_PEER = 2;

export interface AgentClientOptions {
  baseUrl: string;
  secret: string;
  interfaceName: string;
  /** PEM of the CA that signed the agent's certificate (may be the self-signed certificate itself). */
  caCert?: string | null;
  /** SHA-256 fingerprint of the agent's certificate (hex, colons optional). */
  certFingerprint?: string | null;
  /** The whole of one attempt, connecting to the last byte of the answer. Default 5000. */
  timeoutMs?: number;
  /** Largest answer read, counted as the bytes arrive. Default DEFAULT_MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
  /** AGENT_URL_ALLOW: checked before every call and on every connection. */
  allow?: AgentUrlAllowList | null;
  /** PANEL_REQUIRE_AGENT_TLS: an http:// agent is never called. */
  requireTls?: boolean;
  /** Extra attempts after a network failure; an HTTP answer is never retried here. Default 2. */
  retries?: number;
  /** First backoff delay; doubles on each retry. Default 200. */
  retryBaseMs?: number;
  /**
   * The node's pinned receipt key (docs/PROTOCOL.md "Receipts"): each batch and syncconf answer must then
   * carry a receipt of that request signed with it. `onReceipt` sees every check before the call returns;
   * a missing or invalid receipt then fails the call (`receipt_missing`, `receipt_invalid`).
   */
  receipts?: { publicKey: string; onReceipt: (check: ReceiptCheck) => Promise<void> } | null;
}

export interface CallOptions {
  /** Ends the call, retries included (e.g. a scan's deadline); the request in flight is aborted. */
  signal?: AbortSignal;
  /** One attempt's time limit, when the call's work grows with its size; default the client's timeoutMs. */
  timeoutMs?: number;
}

/**
 * How long a connection to an agent stays open unused. Long enough for the calls a sync or a repair makes in a
 * row, far shorter than a scan interval: Node's http.Agent keeps the options of a connection's first request
 * for as long as the connection lives, and axios puts a closure over that whole request in them, its answer
 * included. Kept open until the agent closed it (Fastify's 72 s, longer than a scan interval), every node's
 * connection held one dump: about 440 kB for 1,000 peers, 130 MB in a panel that scanned 300 such nodes.
 */
export const IDLE_CONNECTION_MS = 1000;

const AUTH_ERROR_CODES: readonly AuthErrorCode[] = ['missing_auth', 'bad_signature', 'expired', 'replayed'];
const URL_NOT_ALLOWED = 'ERR_AGENT_URL_NOT_ALLOWED';

/** Certificate verification failures: the connection worked, the certificate is not the configured one. */
const TLS_VERIFY_ERRORS = new Set([
  FINGERPRINT_MISMATCH,
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * Typed, signed client of one agent interface (docs/PROTOCOL.md). Bodies are serialised
 * once; every attempt signs those exact bytes with a fresh timestamp and nonce. Connections are kept alive
 * for IDLE_CONNECTION_MS.
 */
export class AgentClient {
  private readonly http: AxiosInstance;
  private readonly secret: string;
  private readonly iface: string;
  /** Path prefix of baseUrl (for an agent behind a proxy path): part of the signed request target. */
  private readonly basePath: string;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly timeoutMs: number;
  /** Why no call may go out to this URL (policy), or null. */
  private readonly refusal: string | null;
  private readonly interfaceName: string;
  private readonly receipts: AgentClientOptions['receipts'];

  constructor(options: AgentClientOptions) {
    this.secret = options.secret;
    this.interfaceName = options.interfaceName;
    this.receipts = options.receipts ?? null;
    this.iface = encodeURIComponent(options.interfaceName);
    this.retries = options.retries ?? 2;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.timeoutMs = options.timeoutMs ?? 5000;
    const base = new URL(options.baseUrl);
    this.basePath = base.pathname.replace(/\/+$/, '');
    const allow = options.allow ?? null;
    this.refusal =
      options.requireTls && base.protocol === 'http:'
        ? 'plain http is refused (PANEL_REQUIRE_AGENT_TLS)'
        : allow !== null && hostVerdict(hostOf(options.baseUrl), allow) === 'denied'
          ? OUTSIDE_ALLOW_LIST
          : null;
    const agentOptions = {
      keepAlive: true,
      // The socket's idle timeout: Node's agent closes a free connection when it fires.
      timeout: IDLE_CONNECTION_MS,
      maxSockets: 8,
      ca: options.caCert ?? undefined,
      ...(allow ? { lookup: allowListLookup(allow) } : {}),
    };
    this.http = axios.create({
      baseURL: base.origin,
      // Total time is bounded per attempt by an AbortSignal: axios' own timeout is an idle timeout.
      maxContentLength: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      // The signature covers the bytes as sent; nothing may inflate them on the way.
      decompress: false,
      httpAgent: new http.Agent(agentOptions),
      httpsAgent: options.certFingerprint
        ? new PinnedCertificateAgent(options.certFingerprint, agentOptions)
        : new https.Agent(agentOptions),
      // The exact bytes that were signed are the bytes sent.
      transformRequest: [(data) => data],
      transformResponse: [(data) => data],
      responseType: 'arraybuffer',
      validateStatus: () => true,
      maxRedirects: 0,
      proxy: false,
    });
  }

  health(): Promise<HealthResponse> {
    return this.request('GET', '/health', healthAnswer);
  }

  interfaces(): Promise<InterfacesResponse> {
    return this.request('GET', '/v1/interfaces', interfacesAnswer);
  }

  dump(options: CallOptions = {}): Promise<Dump> {
    return this.request('GET', `/v1/wg/${this.iface}/dump`, dumpAnswer, undefined, options);
  }

  /** 409 (AgentRejectedInputError) when the peer exists. */
  addPeer(peer: WirePeer): Promise<DumpPeer> {
    return this.request('POST', `/v1/wg/${this.iface}/peers`, peerAnswer, peer);
  }

  /** Sets exactly the fields given; 404 when the peer is absent. */
  updatePeer(publicKey: string, fields: WirePeerUpdate): Promise<DumpPeer> {
    const path = `/v1/wg/${this.iface}/peers/${keyToPathSegment(publicKey)}`;
    return this.request('PUT', path, peerAnswer, fields);
  }

  async removePeer(publicKey: string): Promise<void> {
    const path = `/v1/wg/${this.iface}/peers/${keyToPathSegment(publicKey)}`;
    await this.request('DELETE', path, () => undefined);
  }

  batch(body: BatchRequest): Promise<BatchResponse> {
    return this.request('POST', `/v1/wg/${this.iface}/batch`, batchAnswer, body, { receipted: true });
  }

  syncconf(body: SyncconfRequest): Promise<SyncconfResponse> {
    const timeoutMs = this.timeoutMs + body.peers.length * SYNCCONF_MS_PER_PEER;
    return this.request('POST', `/v1/wg/${this.iface}/syncconf`, syncconfAnswer, body, {
      timeoutMs,
      receipted: true,
    });
  }

  /** The agent's receipt public key (docs/PROTOCOL.md "Receipts"); null when it signs none. */
  receiptKey(): Promise<string | null> {
    return this.request('GET', '/v1/receipt-key', receiptKeyAnswer);
  }

  /** Listen port, MTU, fwmark: only what is given (docs/PROTOCOL.md "Interface settings"). */
  setInterface(settings: InterfaceUpdateRequest): Promise<InterfaceInfo> {
    return this.request('PUT', `/v1/wg/${this.iface}`, interfaceInfoAnswer, settings);
  }

  /** Closes kept-alive connections (the factory calls it when a node's connection settings change). */
  close(): void {
    (this.http.defaults.httpAgent as http.Agent).destroy();
    (this.http.defaults.httpsAgent as https.Agent).destroy();
  }

  private async request<T>(
    method: string,
    path: string,
    read: (json: unknown) => T,
    body?: unknown,
    options: CallOptions & { receipted?: boolean } = {},
  ): Promise<T> {
    if (this.refusal) throw notAllowed(this.refusal);
    const target = this.basePath + path;
    const payload = body === undefined ? '' : JSON.stringify(body);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let lastFailure: AgentError | null = null;
    for (let attempt = 0; ; attempt++) {
      if (options.signal?.aborted) throw lastFailure ?? timedOut(timeoutMs);
      // Signed per attempt: a retry must carry a fresh timestamp and nonce.
      const signed = signRequest(this.secret, method, target, payload);
      const deadline = AbortSignal.timeout(timeoutMs);
      let response: { status: number; data: ArrayBuffer; headers: Record<string, unknown> };
      try {
        response = await this.http.request<ArrayBuffer>({
          method,
          url: target,
          data: body === undefined ? undefined : payload,
          headers: { ...signed, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
          signal: options.signal ? AbortSignal.any([options.signal, deadline]) : deadline,
        });
      } catch (error) {
        const failure = toAgentError(error, timeoutMs);
        // A deadline that ends the retries says less than the failure that made them necessary.
        if (options.signal?.aborted) throw failure.reason === 'timeout' ? (lastFailure ?? failure) : failure;
        if (!failure.transient || attempt >= this.retries) throw failure;
        lastFailure = failure;
        await new Promise((resolve) => setTimeout(resolve, this.retryBaseMs * 2 ** attempt));
        continue;
      }
      // Any HTTP answer is final here: the agent may have acted on the request.
      const answer = Buffer.from(response.data);
      const signature = response.headers[RESPONSE_SIGNATURE_HEADER] as string | undefined;
      if (!verifyResponse(this.secret, response.status, signed['X-Agent-Nonce'], answer, signature)) {
        throw unsignedAnswer(response.status, answer);
      }
      const result = readAnswer(response.status, answer, read);
      if (options.receipted && this.receipts) {
        await this.checkReceiptOf(this.receipts, answer, signed['X-Agent-Nonce'], payload);
      }
      return result;
    }
  }

  /** Only a successful, signed answer gets here, so its body is JSON. */
  private async checkReceiptOf(
    receipts: NonNullable<AgentClientOptions['receipts']>,
    answer: Buffer,
    nonce: string,
    payload: string,
  ): Promise<void> {
    const { receipt } = JSON.parse(answer.toString('utf8')) as { receipt?: unknown };
    const check = checkReceipt(receipt, receipts.publicKey, {
      interface: this.interfaceName,
      nonce,
      body: payload,
    });
    await receipts.onReceipt(check);
    if (!check.ok) {
      throw new AgentBadAnswerError(check.reason, `${check.detail}; the change is unverified`);
    }
  }
}

function receiptKeyAnswer(value: unknown): string | null {
  const key = (value as { public_key?: unknown } | null)?.public_key;
  if (key === null) return null;
  if (typeof key !== 'string' || Buffer.from(key, 'base64').length !== 32) {
    throw new InvalidAnswerError('public_key', 'public_key must be a base64 Ed25519 public key or null');
  }
  return key;
}

/** Reads a signed answer: a success through its validator, anything else as the error it reports. */
function readAnswer<T>(status: number, body: Buffer, read: (json: unknown) => T): T {
  let json: unknown = undefined;
  try {
    json = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
  } catch {
    if (status < 300)
      throw new AgentBadAnswerError('invalid_response', `status ${status} with a body that is not JSON`);
  }
  if (status >= 200 && status < 300) {
    try {
      return read(json);
    } catch (error) {
      if (error instanceof InterfaceNotReadyError) throw new AgentInterfaceNotReadyError(error.message);
      if (!(error instanceof InvalidAnswerError)) throw error;
      throw new AgentBadAnswerError('invalid_response', error.message);
    }
  }
  const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' && /^[a-z_]{1,40}$/.test(error.code) ? error.code : 'error';
  const message = errorMessage(error?.message) ?? `agent answered ${status}`;
  if (status === 401) throw new AgentUnauthorizedError(code, message);
  if (status === 502) throw new AgentWgFailedError(message);
  if (status === 400 || status === 404 || status === 409)
    throw new AgentRejectedInputError(status, code, message);
  throw new AgentError(
    `http_${status}`,
    `http_${status}: agent answered ${status} (${code})`,
    status >= 500,
    status,
    code,
  );
}

/**
 * An answer without this node's signature is not used. A refused signature is the one answer an agent with
 * another secret cannot sign for us; it is reported as such (its code only, from the protocol's list) so a
 * wrong agent_secret reads as one.
 */
function unsignedAnswer(status: number, body: Buffer): AgentError {
  if (status === 401) {
    try {
      const code = (JSON.parse(body.toString('utf8')) as { error?: { code?: unknown } }).error?.code;
      if (AUTH_ERROR_CODES.includes(code as AuthErrorCode)) {
        return new AgentUnauthorizedError(
          code as string,
          'check that agent_secret matches the agent and that both clocks are right',
        );
      }
    } catch {
      // not the agent's refusal: reported as unsigned below
    }
  }
  // A closing agent or a proxy answers 5xx unsigned; trying again later may reach the agent itself.
  return new AgentBadAnswerError(
    'bad_response_signature',
    "the answer is not signed with the node's agent_secret",
    status >= 500,
    status,
  );
}

const timedOut = (ms: number, code: string | null = null) =>
  new AgentUnreachableError('timeout', `the agent did not answer within ${ms} ms`, code);
const OUTSIDE_ALLOW_LIST = 'agent_url is outside AGENT_URL_ALLOW';
const notAllowed = (text = OUTSIDE_ALLOW_LIST) => new AgentBadAnswerError('url_not_allowed', text);

/**
 * Classifies a failure without an HTTP answer. Only our own short words are kept: a remote host:port or a
 * remote message must not reach what read tokens see. The Node error code stays on `code` for logs.
 */
function toAgentError(error: unknown, timeoutMs: number): AgentError {
  if (error instanceof AgentError) return error;
  const code = isAxiosError(error) ? (error.code ?? null) : ((error as NodeJS.ErrnoException).code ?? null);
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? null;
  const message = `${(error as Error).message}`;
  if (code === URL_NOT_ALLOWED || cause === URL_NOT_ALLOWED) return notAllowed();
  if (code === FINGERPRINT_MISMATCH)
    return new AgentTlsError('the certificate does not match the pinned fingerprint', code);
  if (code && TLS_VERIFY_ERRORS.has(code))
    return new AgentTlsError(`the certificate is not trusted (${code})`, code);
  if (code === 'ERR_BAD_RESPONSE' && message.startsWith('maxContentLength'))
    return new AgentBadAnswerError(
      'response_too_large',
      'the answer is larger than AGENT_MAX_RESPONSE_BYTES',
    );
  if (code === 'ERR_CANCELED' || code === 'ECONNABORTED' || code === 'ETIMEDOUT')
    return timedOut(timeoutMs, code);
  if (code === 'ECONNREFUSED')
    return new AgentUnreachableError(
      'connect_refused',
      'the agent is unreachable (connection refused)',
      code,
    );
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return new AgentUnreachableError('connection_reset', 'the connection was closed before an answer', code);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new AgentUnreachableError('dns_error', 'the agent host name did not resolve', code);
  if (code === 'EPROTO' || code?.startsWith('ERR_SSL') || code?.startsWith('ERR_TLS'))
    return new AgentUnreachableError('tls_error', 'the TLS handshake failed', code);
  return new AgentUnreachableError('unreachable', 'the agent is unreachable', code);
}

/** A DNS lookup that only returns addresses inside AGENT_URL_ALLOW (names listed by name resolve freely). */
function allowListLookup(allow: AgentUrlAllowList): LookupFunction {
  return (hostname, options, callback) => {
    const all: LookupAllOptions = { ...(options as object), all: true };
    dnsLookup(hostname, all, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const listed = allow.hostNames.has(hostname.toLowerCase());
      const usable = listed ? addresses : addresses.filter((entry) => isAddressAllowed(entry.address, allow));
      if (usable.length === 0) {
        const refused = Object.assign(new Error('agent_url resolves outside AGENT_URL_ALLOW'), {
          code: URL_NOT_ALLOWED,
        });
        return callback(refused, '', 0);
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0].address, usable[0].family);
    });
  };
}
