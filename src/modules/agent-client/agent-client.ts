import {
  BatchRequest,
  BatchResponse,
  Dump,
  DumpPeer,
  HealthResponse,
  InterfaceInfo,
  InterfacesResponse,
  SyncconfRequest,
  SyncconfResponse,
  WirePeer,
  WirePeerUpdate,
  keyToPathSegment,
  signRequest,
} from '@wgfleet/protocol';
import axios, { AxiosInstance, isAxiosError } from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';
import {
  AgentError,
  AgentRejectedInputError,
  AgentTlsError,
  AgentUnauthorizedError,
  AgentUnreachableError,
  AgentWgFailedError,
} from './agent-errors';
import { FINGERPRINT_MISMATCH, PinnedCertificateAgent } from './pinned-agent';

export interface AgentClientOptions {
  baseUrl: string;
  secret: string;
  interfaceName: string;
  /** PEM of the CA that signed the agent's certificate (may be the self-signed certificate itself). */
  caCert?: string | null;
  /** SHA-256 fingerprint of the agent's certificate (hex, colons optional). */
  certFingerprint?: string | null;
  /** Per attempt. Default 5000. */
  timeoutMs?: number;
  /** Extra attempts after a network failure; an HTTP answer is never retried here. Default 2. */
  retries?: number;
  /** First backoff delay; doubles on each retry. Default 200. */
  retryBaseMs?: number;
}

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
 * Typed, signed client of one agent interface (agent protocol v1, CONTRACT §2). Bodies are serialised
 * once; every attempt signs those exact bytes with a fresh timestamp and nonce. Connections are kept alive.
 */
export class AgentClient {
  private readonly http: AxiosInstance;
  private readonly secret: string;
  private readonly iface: string;
  /** Path prefix of baseUrl (for an agent behind a proxy path): part of the signed request target. */
  private readonly basePath: string;
  private readonly retries: number;
  private readonly retryBaseMs: number;

  constructor(options: AgentClientOptions) {
    this.secret = options.secret;
    this.iface = encodeURIComponent(options.interfaceName);
    this.retries = options.retries ?? 2;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    const base = new URL(options.baseUrl);
    this.basePath = base.pathname.replace(/\/+$/, '');
    const agentOptions = { keepAlive: true, maxSockets: 8, ca: options.caCert ?? undefined };
    this.http = axios.create({
      baseURL: base.origin,
      timeout: options.timeoutMs ?? 5000,
      httpAgent: new http.Agent(agentOptions),
      httpsAgent: options.certFingerprint
        ? new PinnedCertificateAgent(options.certFingerprint, agentOptions)
        : new https.Agent(agentOptions),
      // The exact bytes that were signed are the bytes sent.
      transformRequest: [(data) => data],
      transformResponse: [(data) => data],
      responseType: 'text',
      validateStatus: () => true,
      maxRedirects: 0,
      proxy: false,
    });
  }

  health(): Promise<HealthResponse> {
    return this.request('GET', '/health');
  }

  interfaces(): Promise<InterfacesResponse> {
    return this.request('GET', '/v1/interfaces');
  }

  dump(): Promise<Dump> {
    return this.request('GET', `/v1/wg/${this.iface}/dump`);
  }

  /** 409 (AgentRejectedInputError) when the peer exists. */
  addPeer(peer: WirePeer): Promise<DumpPeer> {
    return this.request('POST', `/v1/wg/${this.iface}/peers`, peer);
  }

  /** Sets exactly the fields given; 404 when the peer is absent. */
  updatePeer(publicKey: string, fields: WirePeerUpdate): Promise<DumpPeer> {
    return this.request('PUT', `/v1/wg/${this.iface}/peers/${keyToPathSegment(publicKey)}`, fields);
  }

  async removePeer(publicKey: string): Promise<void> {
    await this.request('DELETE', `/v1/wg/${this.iface}/peers/${keyToPathSegment(publicKey)}`);
  }

  batch(body: BatchRequest): Promise<BatchResponse> {
    return this.request('POST', `/v1/wg/${this.iface}/batch`, body);
  }

  syncconf(body: SyncconfRequest): Promise<SyncconfResponse> {
    return this.request('POST', `/v1/wg/${this.iface}/syncconf`, body);
  }

  setListenPort(listenPort: number): Promise<InterfaceInfo> {
    return this.request('PUT', `/v1/wg/${this.iface}`, { listen_port: listenPort });
  }

  /** Closes kept-alive connections (the factory calls it when a node's connection settings change). */
  close(): void {
    (this.http.defaults.httpAgent as http.Agent).destroy();
    (this.http.defaults.httpsAgent as https.Agent).destroy();
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const target = this.basePath + path;
    const payload = body === undefined ? '' : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      let response: { status: number; data: string };
      try {
        response = await this.http.request<string>({
          method,
          url: target,
          data: body === undefined ? undefined : payload,
          // Signed per attempt: a retry must carry a fresh timestamp and nonce.
          headers: {
            ...signRequest(this.secret, method, target, payload),
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
        });
      } catch (error) {
        const failure = toAgentError(error);
        if (!failure.transient || attempt >= this.retries) throw failure;
        await new Promise((resolve) => setTimeout(resolve, this.retryBaseMs * 2 ** attempt));
        continue;
      }
      // Any HTTP answer is final here: the agent may have acted on the request.
      return parseAnswer<T>(response.status, response.data);
    }
  }
}

function parseAnswer<T>(status: number, text: string): T {
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    if (status < 300)
      throw new AgentError(`agent answered ${status} with a body that is not JSON`, false, status);
  }
  if (status >= 200 && status < 300) return json as T;
  const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
  const code = error?.code ?? 'error';
  const message = (error?.message ?? `agent answered ${status}`).slice(0, 500);
  if (status === 401) throw new AgentUnauthorizedError(code, message);
  if (status === 502) throw new AgentWgFailedError(message);
  if (status === 400 || status === 404 || status === 409)
    throw new AgentRejectedInputError(status, code, message);
  throw new AgentError(`agent answered ${status}: ${message}`, status >= 500, status, code);
}

/** Anything without an HTTP answer is a network failure (retried), except a certificate that is not ours. */
function toAgentError(error: unknown): AgentError {
  if (error instanceof AgentError) return error;
  const code = isAxiosError(error) ? (error.code ?? null) : ((error as NodeJS.ErrnoException).code ?? null);
  const reason = `${(error as Error).message}`.slice(0, 300);
  if (code && TLS_VERIFY_ERRORS.has(code))
    return new AgentTlsError(`agent TLS verification failed: ${reason}`, code);
  return new AgentUnreachableError(`agent unreachable: ${reason}`, code);
}
