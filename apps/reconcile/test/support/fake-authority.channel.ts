import { AppError } from '@lib/common';
import { AuthorityListChannel, AuthorityListPage, AuthorityListQuery, AuthorityListRecord } from '../../src/pull/authority-list.port';

/** An in-memory listing channel: pages over `records` with numeric tokens; can be down, or fail on a page. */
export class FakeAuthorityChannel implements AuthorityListChannel {
  records: AuthorityListRecord[] = [];
  calls: { pageToken: string | null; pageSize: number }[] = [];
  down = false;
  /** Page numbers (1-based) that fail with a transient error this many times. */
  failPages = new Map<number, number>();

  constructor(readonly name: string) {}

  async listPage(q: AuthorityListQuery): Promise<AuthorityListPage> {
    this.calls.push({ pageToken: q.pageToken, pageSize: q.pageSize });
    if (this.down) throw new AppError('BREAKER_OPEN', 'unavailable', `${this.name} is unavailable`);
    const start = q.pageToken ? Number(q.pageToken) : 0;
    const pageNo = Math.floor(start / q.pageSize) + 1;
    const failures = this.failPages.get(pageNo) ?? 0;
    if (failures > 0) {
      this.failPages.set(pageNo, failures - 1);
      throw new AppError('UPSTREAM_5XX', 'transient', `${this.name} answered 503`);
    }
    const items = this.records.slice(start, start + q.pageSize);
    const next = start + q.pageSize < this.records.length ? String(start + q.pageSize) : null;
    return { items, nextPageToken: next };
  }
}

export function authorityRecord(invoiceKey: string, over: Partial<AuthorityListRecord> = {}): AuthorityListRecord {
  return {
    invoiceKey,
    type: 'DIGITAL_GENERAL',
    code: null,
    number: invoiceKey,
    issuedAt: '2026-10-10T10:00:00+08:00',
    amount: '100.00',
    taxAmount: '13.00',
    totalAmount: '113.00',
    status: 'NORMAL',
    ...over,
  };
}
