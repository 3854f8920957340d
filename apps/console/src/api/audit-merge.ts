import { AppError } from '@lib/common';
import type { AuditRecord } from '@lib/platform';
import { ConsoleErrorCode } from '../console-error-codes';

/** An entry as each service's `GET /v1/audit` answers it (libs/platform/src/audit). */
export type AuditItem = AuditRecord;

export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

/** One service's `/v1/audit` page at its own cursor (null: the newest). */
export type FetchAuditPage = (service: string, cursor: string | null, limit: number) => Promise<AuditPage>;

/**
 * Where the merged listing stands: the last item shown (`l`, in the merged order) and, per service, the service cursor
 * of the page being read (`c`) or `d` when that log is exhausted. A position, not a count: an entry written meanwhile
 * (newer than what was shown) neither shifts nor repeats what comes next.
 */
interface Position {
  c: string | null;
  d?: 1;
}

interface Last {
  at: string;
  service: string;
  id: string;
}

interface MergeCursor {
  l: Last | null;
  p: Record<string, Position>;
}

const invalidCursor = () =>
  new AppError(ConsoleErrorCode.INVALID_CURSOR, 'validation', 'The cursor is not one this listing gave');

export function encodeAuditCursor(cursor: MergeCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeAuditCursor(cursor: string | undefined, services: readonly string[]): MergeCursor {
  const fresh: MergeCursor = {
    l: null,
    p: Object.fromEntries(services.map((service) => [service, { c: null }])),
  };
  if (!cursor) return fresh;
  let parsed: Partial<MergeCursor> | null;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<MergeCursor> | null;
  } catch {
    throw invalidCursor();
  }
  const l = parsed?.l;
  if (!parsed || typeof parsed.p !== 'object' || parsed.p === null) throw invalidCursor();
  if (
    l !== null &&
    (typeof l !== 'object' ||
      typeof l?.at !== 'string' ||
      typeof l.service !== 'string' ||
      typeof l.id !== 'string')
  )
    throw invalidCursor();
  fresh.l = l ? { at: l.at, service: l.service, id: l.id } : null;
  for (const service of services) {
    const p = parsed.p[service];
    if (!p || typeof p !== 'object' || (p.c !== null && typeof p.c !== 'string')) throw invalidCursor();
    fresh.p[service] = p.d ? { c: null, d: 1 } : { c: p.c };
  }
  return fresh;
}

const compareIds = (x: string, y: string): number => {
  if (/^\d+$/.test(x) && /^\d+$/.test(y)) {
    const [a, b] = [BigInt(x), BigInt(y)];
    return a === b ? 0 : a < b ? -1 : 1;
  }
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Negative when `x` comes first in a newest-first listing (later time; on a tie, the service, then the larger id). */
export function newestFirst(
  x: Pick<AuditItem, 'at' | 'service' | 'id'>,
  y: Pick<AuditItem, 'at' | 'service' | 'id'>,
): number {
  const byTime = Date.parse(y.at) - Date.parse(x.at);
  if (byTime !== 0) return byTime;
  if (x.service !== y.service) return x.service < y.service ? -1 : 1;
  return compareIds(y.id, x.id);
}

interface Stream {
  service: string;
  position: Position;
  buffer: AuditItem[];
  next: string | null;
  loaded: boolean;
}

/**
 * The services' audit logs merged newest first, `limit` at a time: a k-way merge that fetches a service's next page
 * only when its buffer runs dry, so no item is shown before a newer one of another service, none is lost and none
 * repeated across pages.
 */
export async function mergeAuditPage(
  services: readonly string[],
  cursor: string | undefined,
  limit: number,
  fetchPage: FetchAuditPage,
): Promise<AuditPage> {
  const state = decodeAuditCursor(cursor, services);
  let last = state.l;
  const streams: Stream[] = services.map((service) => ({
    service,
    position: state.p[service]!,
    buffer: [],
    next: null,
    loaded: false,
  }));

  /** Fills a stream's buffer; false when its log has nothing more. */
  const fill = async (stream: Stream): Promise<boolean> => {
    while (stream.buffer.length === 0) {
      if (stream.position.d) return false;
      if (stream.loaded) {
        if (stream.next === null) {
          stream.position = { c: null, d: 1 };
          return false;
        }
        stream.position = { c: stream.next };
      }
      const page = await fetchPage(stream.service, stream.position.c, limit);
      stream.loaded = true;
      stream.next = page.nextCursor;
      stream.buffer = page.items
        .map((item) => ({ ...item, service: item.service || stream.service }))
        .filter((item) => !last || newestFirst(item, last) > 0);
    }
    return true;
  };

  const items: AuditItem[] = [];
  await Promise.all(streams.map(fill));
  while (items.length < limit) {
    const live = streams.filter((s) => s.buffer.length > 0);
    if (live.length === 0) break;
    const head = live.reduce((best, s) => (newestFirst(s.buffer[0]!, best.buffer[0]!) < 0 ? s : best));
    const item = head.buffer.shift()!;
    items.push(item);
    last = { at: item.at, service: item.service, id: item.id };
    if (head.buffer.length === 0) await fill(head);
  }
  // Every stream was filled after its last shift: one that is not done still has items in hand.
  const more = streams.some((s) => !s.position.d);
  return {
    items,
    nextCursor: more
      ? encodeAuditCursor({ l: last, p: Object.fromEntries(streams.map((s) => [s.service, s.position])) })
      : null,
  };
}
