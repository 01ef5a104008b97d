import { badRequest } from './api-error';
import { Page } from './api-responses';

/** Opaque keyset cursor over (created_at, id): stable while rows are added or removed. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

/** Opaque keyset cursor over (name, id), for a list sorted by name. */
export interface NameCursor {
  name: string;
  id: string;
}

const UUID = /^[0-9a-f-]{36}$/;

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return encodeParts([row.createdAt.toISOString(), row.id]);
}

export function encodeNameCursor(row: { name: string; id: string }): string {
  return encodeParts([row.name, row.id]);
}

export function decodeCursor(text: string | undefined): Cursor | undefined {
  return decodeParts(text, ([createdAt, id]) => {
    const date = new Date(createdAt);
    return Number.isNaN(date.getTime()) ? undefined : { createdAt: date, id };
  });
}

export function decodeNameCursor(text: string | undefined): NameCursor | undefined {
  return decodeParts(text, ([name, id]) => ({ name, id }));
}

/** Filter for rows after the cursor in (created_at, id) order. */
export function afterCursor(cursor: Cursor | undefined) {
  if (!cursor) return {};
  return {
    $or: [{ createdAt: { $gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $gt: cursor.id } }],
  };
}

/** Filter for rows after the cursor in (name, id) order. */
export function afterNameCursor(cursor: NameCursor | undefined) {
  if (!cursor) return {};
  return { $or: [{ name: { $gt: cursor.name } }, { name: cursor.name, id: { $gt: cursor.id } }] };
}

export function page<T, R extends { createdAt: Date; id: string }>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
  encode: (row: R) => string = encodeCursor,
): Page<T> {
  const items = rows.map(view);
  return rows.length === limit ? { items, next: encode(rows[rows.length - 1]) } : { items };
}

function encodeParts(parts: [string, string]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** The cursor's two strings, the second an id, read by `read`; anything else is a 400 naming `cursor`. */
function decodeParts<C>(
  text: string | undefined,
  read: (parts: [string, string]) => C | undefined,
): C | undefined {
  if (text === undefined) return undefined;
  let cursor: C | undefined;
  try {
    const parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parts) &&
      parts.length === 2 &&
      typeof parts[0] === 'string' &&
      typeof parts[1] === 'string' &&
      UUID.test(parts[1])
    )
      cursor = read([parts[0], parts[1]]);
  } catch {
    cursor = undefined;
  }
  if (cursor === undefined) throw badRequest('cursor', 'cursor is not a cursor this API returned');
  return cursor;
}
