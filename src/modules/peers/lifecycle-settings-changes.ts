import { tellTopic } from '../../common/reactions';

/**
 * Told after a command committed a change to a peer's expiry or quota, so the lifecycle module can suspend
 * or resume the peer at once without the peers module knowing about it. A listener failing never fails the
 * command: the change is durable and the next enforcement pass decides the peer again.
 */
export const LIFECYCLE_SETTINGS_CHANGED = tellTopic<[peerId: string]>(
  'peers.lifecycle-settings-changed',
  'afterCommit',
  'could not enforce changed lifecycle settings; the next pass will',
);
