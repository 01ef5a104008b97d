import { badRequest } from './api-error';
import { Page } from './api-responses';

/** Opaque keyset cursor over (created_at, id): stable while rows are added or removed. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id))
      throw new Error();
    return { createdAt: date, id };
  } catch {
    throw badRequest('cursor', 'cursor is not a cursor this API returned');
  }
}

/** Filter for rows after the cursor in (created_at, id) order. */
export function afterCursor(cursor: Cursor | undefined) {
  if (!cursor) return {};
  return {
    $or: [{ createdAt: { $gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { $gt: cursor.id } }],
  };
}

export function page<T, R extends { createdAt: Date; id: string }>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
): Page<T> {
  const items = rows.map(view);
  return rows.length === limit ? { items, next: encodeCursor(rows[rows.length - 1]) } : { items };
}
