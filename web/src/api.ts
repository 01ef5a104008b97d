import {
  CLIENT_HEADER,
  createWgfleetClient,
  expectOk,
  isPlanAnswer,
  isQueuedJob,
  WgfleetApiError,
} from '@wgfleet/client';
import type { Me } from './types';

const TOKEN_KEY = 'wgfleet.console.token';

/** The API token lives in sessionStorage: this tab only, gone when it closes or on logout. */
export const session = {
  token: (): string | undefined => sessionStorage.getItem(TOKEN_KEY) ?? undefined,
  save: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** Tells the panel that what a request does was done in the console (docs/API.md, Actors). */
const CLIENT_NAME = 'console';

/** Same origin as the console: no CORS, no other host. */
export const api = createWgfleetClient({
  baseUrl: location.origin,
  token: session.token,
  clientName: CLIENT_NAME,
});

/** Who a token belongs to; a WgfleetApiError (401) when the panel does not accept it. */
export function whoAmI(token: string): Promise<Me> {
  return expectOk(api.GET('/api/me', { headers: { Authorization: `Bearer ${token}` } }));
}

/** An answer that is not JSON (a client config, a QR code) as a Blob, with the token. */
export async function fetchBlob(path: string): Promise<Blob> {
  const response = await fetch(path, {
    headers: { Authorization: `Bearer ${session.token() ?? ''}`, [CLIENT_HEADER]: CLIENT_NAME },
  });
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => undefined);
    const error = (body as { error?: { code: string; message: string } } | undefined)?.error;
    throw new WgfleetApiError(
      response.status,
      error?.code ?? 'http_' + response.status,
      error?.message ?? response.statusText,
    );
  }
  return response.blob();
}

export function errorText(error: unknown): string {
  if (error instanceof WgfleetApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export { expectOk, isPlanAnswer, isQueuedJob, WgfleetApiError };
