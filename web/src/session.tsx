import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
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

/** Write actions are shown only to tokens that may take them (the API refuses them anyway). */
export function useCanWrite(): boolean {
  const { me } = useSession();
  return me.role === 'write' || me.role === 'admin';
}

export function useIsAdmin(): boolean {
  return useSession().me.role === 'admin';
}
