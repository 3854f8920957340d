import { AppError } from '@lib/common';
import { AuthorityRecordsReader } from '@lib/providers';
import { isExternalCallError } from '@lib/resilience';
import { AuthorityListChannel, AuthorityListPage, AuthorityListQuery } from './authority-list.port';

/** Codes after which this channel cannot answer for a while: move to the next channel at once. */
const UNAVAILABLE_CODES = new Set(['BREAKER_OPEN', 'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * A listing channel backed by a libs/providers reader (the authority's own list today). The reader's
 * ExternalCallError becomes an AppError: unavailable (breaker open, unreachable), rejected (the query
 * itself is refused: not retriable), or transient (timeouts, 5xx, rate limits: retried).
 */
export class AuthorityRecordsChannel implements AuthorityListChannel {
  constructor(
    readonly name: string,
    private readonly reader: AuthorityRecordsReader,
  ) {}

  async listPage(q: AuthorityListQuery): Promise<AuthorityListPage> {
    try {
      const page = await this.reader.listPage({ taxNo: q.taxNo, period: q.period, direction: 'sales', pageSize: q.pageSize, pageToken: q.pageToken });
      return {
        items: page.items.map((r) => ({
          invoiceKey: r.invoiceKey,
          type: r.type,
          code: r.code,
          number: r.number,
          issuedAt: r.issuedAt,
          amount: r.amount,
          taxAmount: r.taxAmount,
          totalAmount: r.totalAmount,
          status: r.status,
        })),
        nextPageToken: page.nextPageToken,
      };
    } catch (error) {
      if (!isExternalCallError(error)) throw error;
      if (UNAVAILABLE_CODES.has(error.code)) throw new AppError(error.code, 'unavailable', error.message, { cause: error });
      if (error.kind === 'rejected') throw new AppError(error.code, 'validation', error.message, { cause: error });
      throw new AppError(error.code, 'transient', error.message, { cause: error, retryAfterSeconds: error.retryAfterMs ? Math.ceil(error.retryAfterMs / 1000) : undefined });
    }
  }
}
