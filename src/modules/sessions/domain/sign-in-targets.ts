/** Where the console goes after sign-in: a path of the panel itself, never another site. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 512) return '/';
  // "//host" and "/\host" are other sites to a browser; only a plain absolute path stays on the panel.
  if (!/^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/.test(value)) return '/';
  return value;
}

/**
 * The CLI's loopback listener (`wgfleet login --sso`): plain http to 127.0.0.1 or localhost on an explicit port,
 * the only places a sign-in's one-time code may be sent, so no other site can receive it.
 */
export function isLoopbackListener(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' &&
    (url.hostname === '127.0.0.1' || url.hostname === 'localhost') &&
    url.port !== '' &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === '' &&
    value.length <= 200
  );
}
