import {
  BatchRequest,
  BatchResponse,
  Dump,
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
  AgentUnauthorizedError,
  AgentUnreachableError,
  AgentWgFailedError,
} from './agent-errors';
import { PinnedCertificateAgent } from './pinned-agent';

export interface AgentClientOptions {
  baseUrl: string;
  secret: string;
  interfaceName: string;
  /** PEM of the CA that signed the agent's certificate. */
  caCert?: string | null;
  /** SHA-256 fingerprint of the agent's certificate (hex, colons optional). */
  certFingerprint?: string | null;
  timeoutMs?: number;
  /** Extra attempts after a network failure; an HTTP answer is never retried here. */
  retries?: number;
  retryBaseMs?: number;
}

const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Typed, signed client of one agent interface (agent protocol v1, CONTRACT §2). */
export class AgentClient {
  private readonly http: AxiosInstance;
  private readonly secret: string;
  private readonly iface: string;
  private readonly retries: number;
  private readonly retryBaseMs: number;

  constructor(options: AgentClientOptions) {
    this.secret = options.secret;
    this.iface = encodeURIComponent(options.interfaceName);
    this.retries = options.retries ?? 2;
    this.retryBaseMs = options.retryBaseMs ?? 200;
    const base = { keepAlive: true, maxSockets: 8 };
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 5000,
      httpAgent: new http.Agent(base),
      httpsAgent: options.certFingerprint
        ? new PinnedCertificateAgent(options.certFingerprint, base)
        : new https.Agent({ ...base, ca: options.caCert ?? undefined }),
      // The exact bytes that were signed are the bytes sent.
      transformRequest: [(data) => data],
      transformResponse: [(data) => data],
      responseType: 'text',
      validateStatus: () => true,
      maxRedirects: 0,
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

  addPeer(peer: WirePeer): Promise<WirePeer> {
    return this.request('POST', `/v1/wg/${this.iface}/peers`, peer);
  }

  updatePeer(publicKey: string, fields: WirePeerUpdate): Promise<WirePeer> {
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
    const payload = body === undefined ? '' : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.http.request<string>({
          method,
          url: path,
          data: body === undefined ? undefined : payload,
          // Signed per attempt: a retry must carry a fresh timestamp and nonce.
          headers: {
            ...signRequest(this.secret, method, path, payload),
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
        });
        return parseAnswer<T>(response.status, response.data);
      } catch (error) {
        const failure = toAgentError(error);
        if (!failure.transient || attempt >= this.retries) throw failure;
        await new Promise((resolve) => setTimeout(resolve, this.retryBaseMs * 2 ** attempt));
      }
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
  if (status >= 400 && status < 500) throw new AgentRejectedInputError(status, code, message);
  throw new AgentError(`agent answered ${status}: ${message}`, status >= 500, status, code);
}

function toAgentError(error: unknown): AgentError {
  if (error instanceof AgentError) return error;
  if (isAxiosError(error)) {
    const code = error.code ?? '';
    if (NETWORK_ERRORS.has(code) || !error.response) {
      return new AgentUnreachableError(`agent unreachable: ${code || error.message}`.slice(0, 300));
    }
  }
  return new AgentUnreachableError(`agent unreachable: ${(error as Error).message}`.slice(0, 300));
}
