import { AppError } from '@lib/common';
import { ReconcileErrorCode } from '../reconcile-error-codes';

/**
 * An opaque keyset cursor: base64url of the last item's sort key (an instant and an id). Every list of this API
 * uses one; a cursor that does not decode to an instant and an id of the expected shape answers 400 INVALID_CURSOR.
 */
export function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

export function decodeCursor(cursor: string, id: RegExp): { at: string; id: string } {
  try {
    const [at, last] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof at !== 'string' || typeof last !== 'string') throw new Error('bad cursor');
    if (Number.isNaN(new Date(at).getTime()) || !id.test(last)) throw new Error('bad cursor');
    return { at, id: last };
  } catch {
    throw new AppError(ReconcileErrorCode.INVALID_CURSOR, 'validation', 'cursor is not one this API returned');
  }
}

export const UUID_ID = /^[0-9a-f-]{36}$/;

/** A page of `limit` items asked for `limit + 1`: the items, and the cursor after the last when there are more. */
export function pageOf<T>(
  rows: T[],
  limit: number,
  key: (last: T) => [string, string],
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(...key(last)) : null };
}

/** The devices' board pages by device id alone: its cursor is base64url of the last device id. */
export function encodeDeviceCursor(deviceId: string): string {
  return Buffer.from(JSON.stringify([deviceId])).toString('base64url');
}

export function decodeDeviceCursor(cursor: string): string {
  try {
    const [id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof id === 'string' && id.length > 0 && id.length <= 64) return id;
  } catch {
    // falls through to the error below
  }
  throw new AppError(ReconcileErrorCode.INVALID_CURSOR, 'validation', 'cursor is not one this API returned');
}

/** The paging part of every list query: an opaque cursor from the previous page, and how many items to answer. */
export interface PageQuery {
  cursor?: string;
  limit: number;
}
