/**
 * Who did something (docs/API.md, Actors): recorded on events, reconcile jobs and webhook payloads. `user` and
 * `token` are callers of the API; `system` is one of the panel's own components (the scheduler, self-heal, …),
 * named by `id`.
 */
export const ACTOR_KINDS = ['user', 'token', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Which client the request came through, as the client says: it only ever selects among these. */
export const ACTOR_VIAS = ['console', 'api', 'cli'] as const;
export type ActorVia = (typeof ACTOR_VIAS)[number];

export interface ActorRef {
  kind: ActorKind;
  id: string;
  name: string;
  via: ActorVia;
  /** The panel's id of the request that did it; null for the system's own actions. */
  request_id: string | null;
}

/** The header the CLI and the console send, `cli/<version>` or `console/<version>`. */
export const CLIENT_HEADER = 'x-wgfleet-client';

/**
 * The `via` a client header selects. The header is the caller's word, so it picks a label and nothing else:
 * anything but a `cli` or `console` product name is `api`.
 */
export function viaOf(clientHeader: string | readonly string[] | undefined): ActorVia {
  if (typeof clientHeader !== 'string') return 'api';
  const product = clientHeader.split('/', 1)[0].trim().toLowerCase();
  return product === 'cli' || product === 'console' ? product : 'api';
}
