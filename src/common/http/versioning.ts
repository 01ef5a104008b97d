import { badRequest } from './api-error';

/**
 * The version a write expects: from the body (PATCH), the `version` query (DELETE) or an If-Match header.
 * Undefined means the caller did not ask for an optimistic check.
 */
export function expectedVersion(
  fromRequest: number | undefined,
  ifMatch: string | undefined,
): number | undefined {
  if (ifMatch === undefined || ifMatch === '*') return fromRequest;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
  if (!match) throw badRequest('If-Match', 'If-Match must carry a version number, e.g. "3"');
  const headerVersion = Number(match[1]);
  if (fromRequest !== undefined && fromRequest !== headerVersion) {
    throw badRequest('version', 'version and If-Match disagree');
  }
  return headerVersion;
}
