/** Bytes sent exactly as given (malformed JSON, other content types, oversized bodies). */
export interface RawBody {
  raw: string | Buffer;
  contentType?: string;
}

export interface ApiAnswer {
  status: number;
  text: string;
  /** Parsed JSON, or undefined for an empty or non-JSON answer. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

export type AnswerObserver = (method: string, path: string, answer: ApiAnswer) => void;

export function isRawBody(body: unknown): body is RawBody {
  return typeof body === 'object' && body !== null && 'raw' in body;
}

/**
 * A small REST client of the panel over real HTTP (fetch), the same for an in-process panel and a spawned
 * one. `observe` sees every answer, e.g. to search all of them for secrets.
 */
export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null,
    private readonly observe: AnswerObserver | null = null,
  ) {}

  /** The same client with another token (null: no Authorization header). */
  as(token: string | null): Api {
    return new Api(this.baseUrl, token, this.observe);
  }

  observedBy(observe: AnswerObserver): Api {
    return new Api(this.baseUrl, this.token, observe);
  }

  get(path: string, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    return this.request('GET', path, undefined, headers);
  }

  post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    return this.request('POST', path, body, headers);
  }

  patch(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    return this.request('PATCH', path, body, headers);
  }

  put(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    return this.request('PUT', path, body, headers);
  }

  delete(path: string, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    return this.request('DELETE', path, undefined, headers);
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> {
    const sent: Record<string, string> = { ...headers };
    if (this.token !== null) sent.authorization = `Bearer ${this.token}`;
    let payload: string | Buffer | undefined;
    if (isRawBody(body)) {
      payload = body.raw;
      if (body.contentType) sent['content-type'] = body.contentType;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      sent['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers: sent, body: payload });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const answer: ApiAnswer = { status: response.status, text, body: parsed, headers: response.headers };
    this.observe?.(method, path, answer);
    return answer;
  }
}

/** Throws with the answer's text unless its status is the expected one. */
export function expectStatus(answer: ApiAnswer, status: number, what = 'request'): ApiAnswer {
  if (answer.status !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${answer.status}: ${answer.text.slice(0, 500)}`);
  }
  return answer;
}
