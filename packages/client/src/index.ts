import createFetchClient, { Client, FetchResponse, MaybeOptionalInit, Middleware } from 'openapi-fetch';
import type { HttpMethod, MediaType, PathsWithMethod, RequiredKeysOf } from 'openapi-typescript-helpers';
import type { components, paths } from './schema';

export type { components, paths };
/** The API's enums as values (generated with the types), for parsing them from a command line or a file. */
export {
  actorKindValues,
  autoReconcileModeValues,
  clusterDnsProviderValues,
  reconcileModeValues,
  roleValues,
  tokenRoleValues,
  tsigAlgorithmValues,
  webhookEventTypeValues,
} from './schema';
export { NamesMappingError, parseNamesMapping } from './names-mapping';
export type Schemas = components['schemas'];

/** Names the client a request comes from (docs/API.md, Actors). */
export const CLIENT_HEADER = 'X-Wgfleet-Client';

/** One problem with one field of a request, as the panel names it in a 400. */
export type FieldProblem = Schemas['FieldProblemView'];

/** The panel's error body: `{"error":{"code","message","details"?}}`. */
export type ApiErrorBody = Schemas['ApiErrorBody'];

/** A non-2xx answer from the panel, with what a person needs to act on it. */
export class WgfleetApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'WgfleetApiError';
  }

  /** The field problems of a validation error (400), empty otherwise. */
  get fieldProblems(): FieldProblem[] {
    return Array.isArray(this.details)
      ? this.details.filter(
          (item): item is FieldProblem =>
            typeof item === 'object' && item !== null && typeof (item as FieldProblem).field === 'string',
        )
      : [];
  }
}

/** The panel could not be reached at all (DNS, refused connection, TLS). */
export class WgfleetUnreachableError extends Error {
  constructor(
    readonly baseUrl: string,
    readonly cause: unknown,
  ) {
    super(`cannot reach the panel at ${baseUrl}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'WgfleetUnreachableError';
  }
}

export interface WgfleetClientOptions {
  /** The panel's origin, e.g. https://wgfleet.example.com (the console passes its own origin). */
  baseUrl: string;
  /** An API token; sent as a Bearer token with every request. */
  token?: string | (() => string | undefined);
  /**
   * A signed-in console's CSRF token (its `wgfleet_csrf` cookie): sent as X-CSRF-Token with every write, which
   * the panel requires of a request that a session cookie authenticates.
   */
  csrfToken?: () => string | undefined;
  /**
   * Which client this is, `<cli|console>/<version>`, sent as `X-Wgfleet-Client`: the panel records it as the
   * `via` of what the request does (docs/API.md, Actors).
   */
  clientName?: string;
  fetch?: typeof globalThis.fetch;
}

export function errorFromBody(status: number, body: unknown): WgfleetApiError {
  const error = (body as Partial<ApiErrorBody> | undefined)?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new WgfleetApiError(status, error.code, error.message, error.details);
  }
  return new WgfleetApiError(status, 'http_' + status, `the panel answered HTTP ${status}`);
}

/** The request body the document gives an operation (never when it takes none). */
type DocumentBody<PathItem, Method extends HttpMethod> = Method extends keyof PathItem
  ? NonNullable<MaybeOptionalInit<PathItem, Method>> extends { body?: infer Body }
    ? Body
    : never
  : never;

/**
 * The call's own body with every field the document does not name typed `never`. openapi-fetch infers the
 * init from the argument, so it lets an unknown field through once the required ones are there; this makes a
 * misspelt or renamed field a compile error at the field.
 */
type KnownBodyFields<Init, Body> = Init extends { body?: infer Given }
  ? Given extends object
    ? { body?: { [Field in keyof Given]: Field extends keyof NonNullable<Body> ? Given[Field] : never } }
    : unknown
  : unknown;

type CheckedInit<Init, Body> = Init & KnownBodyFields<Init, Body> & { [key: string]: unknown };

/** openapi-fetch's method for requests with a body (its inference and answers), with unknown body fields refused. */
interface CheckedBodyMethod<Method extends 'post' | 'patch'> {
  // A method signature, so that openapi-fetch's own method is assignable to it.
  call<Path extends PathsWithMethod<paths, Method>, Init extends MaybeOptionalInit<paths[Path], Method>>(
    url: Path,
    ...init: RequiredKeysOf<Init> extends never
      ? [CheckedInit<Init, DocumentBody<paths[Path], Method>>?]
      : [CheckedInit<Init, DocumentBody<paths[Path], Method>>]
  ): Promise<FetchResponse<Extract<paths[Path][Method], Record<string, unknown>>, Init, MediaType>>;
}

/** The panel's API, typed by its OpenAPI document. */
export interface WgfleetClient extends Omit<Client<paths>, 'POST' | 'PATCH'> {
  POST: CheckedBodyMethod<'post'>['call'];
  PATCH: CheckedBodyMethod<'patch'>['call'];
}

/**
 * The typed client: `client.GET('/api/nodes/{id}', { params: { path: { id } } })` with paths, parameters and
 * bodies checked against the panel's OpenAPI document at compile time.
 */
export function createWgfleetClient(options: WgfleetClientOptions): WgfleetClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const client = createFetchClient<paths>({
    baseUrl,
    fetch: async (request: Request) => {
      try {
        return await fetchImpl(request);
      } catch (cause) {
        throw new WgfleetUnreachableError(baseUrl, cause);
      }
    },
  });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = typeof options.token === 'function' ? options.token() : options.token;
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      const csrfToken = options.csrfToken?.();
      if (csrfToken && !['GET', 'HEAD', 'OPTIONS'].includes(request.method))
        request.headers.set('X-CSRF-Token', csrfToken);
      if (options.clientName) request.headers.set(CLIENT_HEADER, options.clientName);
      return request;
    },
  };
  client.use(auth);
  return client;
}

/**
 * Unwraps an openapi-fetch result: the data of a 2xx answer, or a thrown WgfleetApiError naming what went wrong.
 */
export async function expectOk<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw errorFromBody(response.status, error);
  return data as T;
}

/** An answer that holds a stored plan: a reconcile or adoption dry run (the routes answer a job or a result else). */
export function isPlanAnswer<Answer extends object>(
  answer: Answer,
): answer is Extract<Answer, { plan_id: string }> {
  return 'plan_id' in answer;
}

/** An answer that names a queued job: a reconcile that was not a dry run. */
export function isQueuedJob<Answer extends object>(
  answer: Answer,
): answer is Extract<Answer, { job_id: string }> {
  return 'job_id' in answer;
}
