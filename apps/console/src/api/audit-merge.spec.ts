import { AuditItem, AuditPage, mergeAuditPage } from './audit-merge';

const SERVICES = ['gateway', 'notifier', 'reconcile', 'sync'];

/** A service's log as its /v1/audit serves it: newest first, keyset cursors of (at, id), nextCursor on full pages. */
function serviceLog(service: string, entries: { at: string; id: number }[]) {
  const sorted = [...entries].sort((x, y) => Date.parse(y.at) - Date.parse(x.at) || y.id - x.id);
  const calls: (string | null)[] = [];
  return {
    calls,
    add(entry: { at: string; id: number }) {
      sorted.unshift(entry);
    },
    page(cursor: string | null, limit: number): AuditPage {
      calls.push(cursor);
      const after = cursor ? (JSON.parse(cursor) as [string, number]) : null;
      const rest = sorted.filter(
        (e) => !after || Date.parse(e.at) < Date.parse(after[0]) || (e.at === after[0] && e.id < after[1]),
      );
      const items: AuditItem[] = rest.slice(0, limit).map((e) => ({
        id: String(e.id),
        service,
        at: e.at,
        actor: { kind: 'person', subject: 'u', name: 'U' },
        action: 'finding.ignore',
        target: { type: 'finding', id: `${service}-${e.id}` },
        taxNo: null,
        branchId: null,
        reason: null,
        detail: {},
      }));
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: items.length === limit && last ? JSON.stringify([last.at, Number(last.id)]) : null,
      };
    },
  };
}

function fourLogs(seed: number) {
  let x = seed;
  const random = () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
  const base = Date.parse('2026-03-01T00:00:00Z');
  return Object.fromEntries(
    SERVICES.map((service, s) => {
      const count = [0, 7, 23, 41][s]!;
      const entries = Array.from({ length: count }, (_, i) => ({
        // Coarse times: many ties within and across services.
        at: new Date(base + Math.floor(random() * 20) * 1000).toISOString(),
        id: i + 1,
      }));
      return [service, serviceLog(service, entries)];
    }),
  );
}

async function readAll(logs: ReturnType<typeof fourLogs>, limit: number) {
  const seen: AuditItem[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages += 1) {
    const page = await mergeAuditPage(SERVICES, cursor, limit, async (service, c, l) =>
      logs[service]!.page(c, l),
    );
    seen.push(...page.items);
    if (!page.nextCursor) return seen;
    cursor = page.nextCursor;
  }
  throw new Error('the listing never ended');
}

describe('merged audit log', () => {
  it.each([1, 3, 10, 50, 500])('shows every entry once, newest first, %i per page', async (limit) => {
    const logs = fourLogs(limit);
    const seen = await readAll(logs, limit);
    expect(seen).toHaveLength(71);
    expect(new Set(seen.map((i) => `${i.service}/${i.id}`)).size).toBe(71);
    for (let i = 1; i < seen.length; i += 1)
      expect(Date.parse(seen[i - 1]!.at)).toBeGreaterThanOrEqual(Date.parse(seen[i]!.at));
  });

  it('neither repeats nor skips when entries are written between pages', async () => {
    const logs = fourLogs(7);
    const first = await mergeAuditPage(SERVICES, undefined, 5, async (s, c, l) => logs[s]!.page(c, l));
    logs.sync!.add({ at: '2026-03-02T00:00:00.000Z', id: 1000 });
    const rest: AuditItem[] = [];
    let cursor = first.nextCursor ?? undefined;
    while (cursor) {
      const page = await mergeAuditPage(SERVICES, cursor, 5, async (s, c, l) => logs[s]!.page(c, l));
      rest.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    }
    const keys = [...first.items, ...rest].map((i) => `${i.service}/${i.id}`);
    expect(keys).toHaveLength(71);
    expect(new Set(keys).size).toBe(71);
  });

  it('answers an empty listing with no cursor, and refuses a cursor it did not make', async () => {
    const empty = await mergeAuditPage(SERVICES, undefined, 10, async () => ({
      items: [],
      nextCursor: null,
    }));
    expect(empty).toEqual({ items: [], nextCursor: null });
    await expect(
      mergeAuditPage(SERVICES, 'bm9wZQ', 10, async () => ({ items: [], nextCursor: null })),
    ).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });
});
