/**
 * Sends one agent-protocol request signed with @wgfleet/protocol, with hooks to break it on purpose
 * (auth tests). Uses node:http(s) directly so the request target goes out exactly as given.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { signRequest } from '@wgfleet/protocol';

export interface SignedRequestOptions {
  /** JSON-serialised unless it is already a string or Buffer. */
  body?: unknown;
  /** CA certificate (PEM) trusted for an https:// agent. */
  ca?: string | Buffer;
  /** Applied to the signed headers before sending (lower-case names win over the signed ones). */
  headers?: (signed: Record<string, string>) => Record<string, string>;
  /** Sign this target instead of the one sent, e.g. to prove a tampered path is refused. */
  signedTarget?: string;
  /** Sign these bytes instead of the body sent. */
  signedBody?: string | Buffer;
  secret?: string;
  nowS?: number;
}

export interface AgentAnswer<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON, or undefined for an empty or non-JSON answer. */
  json: T;
}

export function signedRequest<T = unknown>(
  baseUrl: string,
  secret: string,
  method: string,
  target: string,
  options: SignedRequestOptions = {},
): Promise<AgentAnswer<T>> {
  const body =
    options.body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(options.body)
        ? options.body
        : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
  const signed = signRequest(
    options.secret ?? secret,
    method,
    options.signedTarget ?? target,
    options.signedBody ?? body,
    options.nowS,
  );
  const base = { ...signed, ...(body.length > 0 ? { 'content-type': 'application/json' } : {}) };
  const headers = options.headers ? options.headers(base) : base;
  const url = new URL(baseUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: target,
        headers: { ...headers, 'content-length': String(body.length) },
        ca: options.ca,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: json as T });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
