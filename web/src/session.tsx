import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { grantsAnywhere, grantsFleetWide } from './access';
import type { Me } from './types';

export interface SessionState {
  me: Me;
  logout: () => void;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside a logged-in console');
  return state;
}

/** Write actions are shown only to principals some binding lets take them (the API refuses them anyway). */
export function useCanWrite(): boolean {
  return grantsAnywhere(useSession().me, 'write');
}

/** Fleet-wide objects (tokens, webhooks, bindings, the event feed) need their role on the whole fleet. */
export function useIsAdmin(): boolean {
  return grantsFleetWide(useSession().me, 'admin');
}
