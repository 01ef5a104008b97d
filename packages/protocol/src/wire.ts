/** JSON bodies of agent protocol v1 (docs/PROTOCOL.md, Bodies). Field names are snake_case on the wire. */

export interface WirePeer {
  public_key: string;
  allowed_ips: string[];
  preshared_key?: string | null;
  persistent_keepalive?: number;
  endpoint?: string | null;
}

export type WirePeerUpdate = Partial<Omit<WirePeer, 'public_key'>>;

export interface DumpInterface {
  name: string;
  public_key: string;
  listen_port: number;
  fwmark: number | null;
  /** The link's MTU; left out by agents older than interface settings (docs/PROTOCOL.md). */
  mtu?: number | null;
}

export interface DumpPeer {
  public_key: string;
  preshared_key_sha256: string | null;
  endpoint: string | null;
  allowed_ips: string[];
  /** Unix seconds; 0 = never. */
  latest_handshake: number;
  transfer_rx: number;
  transfer_tx: number;
  /** 0 = off. */
  persistent_keepalive: number;
}

export interface Dump {
  interface: DumpInterface;
  peers: DumpPeer[];
}

export interface HealthResponse {
  status: 'ok';
  version: string;
  uptime_s: number;
}

export interface InterfacesResponse {
  interfaces: string[];
}

export interface BatchRequest {
  upsert: WirePeer[];
  remove: string[];
}

export interface BatchItemResult {
  public_key: string;
  op: 'upsert' | 'remove';
  ok: boolean;
  error?: string;
}

export interface BatchResponse {
  results: BatchItemResult[];
}

export interface SyncconfRequest {
  listen_port?: number;
  peers: WirePeer[];
}

export interface SyncconfResponse {
  added: number;
  updated: number;
  removed: number;
}

/** At least one field; `mtu` and `fwmark` only to agents that report `mtu` in their dump (docs/PROTOCOL.md). */
export interface InterfaceUpdateRequest {
  listen_port?: number;
  mtu?: number;
  /** 0 clears the mark. */
  fwmark?: number;
}

export interface InterfaceInfo {
  name: string;
  public_key: string;
  listen_port: number;
  /** Left out by agents older than interface settings. */
  fwmark?: number | null;
  mtu?: number | null;
}

export type AgentErrorCode =
  | 'missing_auth'
  | 'bad_signature'
  | 'expired'
  | 'replayed'
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'wg_failed'
  | 'busy';

export interface AgentErrorBody {
  error: { code: AgentErrorCode | string; message: string };
}

export const AGENT_PROTOCOL_VERSION = 'v1';
