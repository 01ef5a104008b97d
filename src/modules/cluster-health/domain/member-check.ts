import { isIP } from 'node:net';

/** What one check learned of a member, from its agent's answer (untrusted) and the panel's sync state. */
export interface MemberObservation {
  /** The agent answered the signed dump within the check's time limit. */
  answered: boolean;
  /** The interface's public key as the agent reported it; null when it did not answer. */
  interfacePublicKey: string | null;
  /** The interface's listen port as reported; 0 = not listening. */
  listenPort: number | null;
  /** Changes to this node's peers not applied yet. */
  pendingChanges: number;
}

export type CheckProblem = 'no_answer' | 'not_listening' | 'wrong_key' | 'out_of_sync';

/**
 * A member passes when its agent answers, its interface listens with exactly the cluster's public key (the
 * agent's claim is compared byte for byte: a member with another key would break every client's handshake), and
 * it has every peer change applied.
 */
export function judgeMember(
  observation: MemberObservation,
  clusterPublicKey: string | null,
): CheckProblem | null {
  if (!observation.answered) return 'no_answer';
  if (!observation.listenPort) return 'not_listening';
  if (clusterPublicKey === null || observation.interfacePublicKey !== clusterPublicKey) return 'wrong_key';
  if (observation.pendingChanges > 0) return 'out_of_sync';
  return null;
}

/** The IP literal of a node's endpoint ("host:port", "[v6]:port" or a bare host), or null when it is a name. */
export function endpointAddress(endpoint: string): string | null {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(endpoint);
  const host = bracketed ? bracketed[1] : isIP(endpoint) === 6 ? endpoint : endpoint.replace(/:\d+$/, '');
  return isIP(host) === 0 ? null : host;
}
