import { isWireGuardKey } from '@wgfleet/protocol';
import { hasLineBreakOrControl } from '../../../common/domain/plain-text';

/** The longest peer name, as `POST /api/nodes/{id}/peers` takes it. */
export const PEER_NAME_MAX_LENGTH = 100;
/** As many names as public keys one adoption takes. */
export const MAX_ADOPTION_NAMES = 10000;

/** A problem with one field of the request: `names.<public key>` names the entry. */
export interface NameProblem {
  field: string;
  message: string;
}

/**
 * Checks the shape of `names` (public key → peer name) as it arrives: an object whose keys are WireGuard keys
 * and whose values are peer names (1 to 100 characters, no control character or line break), each name given
 * to one key only. Answers the first problem as a sentence naming the entry, or null.
 */
export function namesShapeProblem(value: unknown, field: string): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `${field} must be an object of public key → peer name`;
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_ADOPTION_NAMES) return `${field} must have at most ${MAX_ADOPTION_NAMES} entries`;
  const keyByName = new Map<string, string>();
  for (const [key, name] of entries) {
    if (!isWireGuardKey(key)) {
      return `${field}: every key must be a WireGuard public key (44 characters of base64)`;
    }
    const entry = `${field}.${key}`;
    if (typeof name !== 'string' || name.trim().length === 0 || name.length > PEER_NAME_MAX_LENGTH) {
      return `${entry} must be a peer name of 1 to ${PEER_NAME_MAX_LENGTH} characters`;
    }
    if (hasLineBreakOrControl(name)) {
      return `${entry} must not contain control characters or line breaks (U+2028, U+2029 and U+0085 included)`;
    }
    const other = keyByName.get(name);
    if (other !== undefined)
      return `${entry}: the name ${name} is given to ${other} too; peer names are unique`;
    keyByName.set(name, key);
  }
  return null;
}

/**
 * A name the operator gives that a current peer of the node already has (another key: a peer of the node
 * being adopted again is a conflict of the plan, not of its name). Peer names are unique per node, so the
 * request is refused rather than the peer adopted under a name that is ambiguous.
 */
export function takenNameProblem(
  names: ReadonlyMap<string, string>,
  currentPeers: ReadonlyMap<string, string>,
  nodeName: string,
): NameProblem | null {
  const currentNames = new Set(currentPeers.values());
  for (const [key, name] of names) {
    if (currentPeers.has(key) || !currentNames.has(name)) continue;
    return {
      field: `names.${key}`,
      message: `a peer of node ${nodeName} is already named ${name}; peer names are unique per node`,
    };
  }
  return null;
}

/**
 * The name an adopted peer gets without one from the operator: its address in the node's pool (what the
 * operator knows the client by, e.g. "10.0.1.7"), or that and the start of its key when a peer already has it
 * as its name; the start of its key alone when it has no address at all.
 */
export function addressName(
  address: string | undefined,
  publicKey: string,
  taken: ReadonlySet<string>,
): string {
  const keyStart = publicKey.replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
  if (address === undefined) return `peer-${keyStart}`;
  const host = address.replace(/\/\d+$/, '');
  return taken.has(host) ? `${host}-${keyStart}` : host;
}
