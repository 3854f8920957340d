import { AuthorityRecordsReader } from '@lib/providers';
import { AuthorityListChannel, AuthorityListPage, AuthorityListQuery } from './authority-list.port';
import { toChannelError } from './channel-errors';

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
          // the list carries the buyer but no lines
          buyerTaxNo: r.buyerTaxNo,
          buyerName: r.buyerName,
          lineCount: null,
        })),
        nextPageToken: page.nextPageToken,
      };
    } catch (error) {
      throw toChannelError(error);
    }
  }
}
