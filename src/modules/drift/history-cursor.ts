import { badRequest } from '../../common/http/api-error';

/** Where a history page ends: before a given scan, or before a point in time. */
export type HistoryCursor = { scanId: string } | { time: Date };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses `?before=`: a scan id (the `next` of a previous page) or an ISO 8601 time. */
export function parseHistoryCursor(text: string): HistoryCursor {
  const value = text.trim();
  if (UUID.test(value)) return { scanId: value.toLowerCase() };
  const time = ISO_TIME.test(value) ? new Date(value) : null;
  if (!time || Number.isNaN(time.getTime())) {
    throw badRequest('before', 'before must be a scan id or an ISO 8601 time, e.g. 2025-03-01T12:00:00Z');
  }
  return { time };
}
