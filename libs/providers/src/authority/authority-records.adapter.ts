import { Clock } from '@lib/common';
import { VerificationQuery } from '@lib/domain';
import {
  AUTHORITY_CODES,
  AUTHORITY_PATHS,
  AuthorityListPage,
  AuthorityVerifyRequest,
  AuthorityVerifyResult,
  ClearCardView,
} from '@lib/protocols';
import {
  AuthorityRecordsPage,
  AuthorityRecordsQuery,
  AuthorityRecordsReader,
  ClearCardStatus,
} from '../ports/authority-records.port';
import { InvoiceVerifier, VerificationAnswer } from '../ports/invoice-verifier.port';
import { toAuthorityRecord } from '../shared/authority-record.mapper';
import { AuthorityClient, AuthorityConnection } from './authority.client';
import { authorityFailure } from './authority-codes';

/**
 * The authority's read side for reconcile: a taxpayer's invoices for a period (paged, stable page tokens),
 * 查验 verification and device clear-card status. Its own breaker (`authority-records`), so paging
 * through a large period never trips the delivery breaker.
 */
export class AuthorityRecordsAdapter implements AuthorityRecordsReader, InvoiceVerifier {
  readonly channel = 'authority';
  private readonly client: AuthorityClient;

  constructor(connection: AuthorityConnection, clock: Clock) {
    this.client = new AuthorityClient({ ...connection, name: connection.name ?? 'authority-records' }, clock);
  }

  async listPage(query: AuthorityRecordsQuery): Promise<AuthorityRecordsPage> {
    const params = new URLSearchParams({ period: query.period, direction: query.direction ?? 'sales' });
    if (query.pageSize) params.set('pageSize', String(query.pageSize));
    if (query.pageToken) params.set('pageToken', query.pageToken);
    const page = await this.ok<AuthorityListPage>('GET', `${AUTHORITY_PATHS.list(query.taxNo)}?${params.toString()}`);
    return { items: page.items.map(toAuthorityRecord), nextPageToken: page.nextPageToken };
  }

  async verify(taxNo: string, query: VerificationQuery): Promise<VerificationAnswer> {
    const body: AuthorityVerifyRequest = {
      fplx: query.fplx,
      ...(query.fpdm ? { fpdm: query.fpdm } : {}),
      fphm: query.fphm,
      kprq: query.kprq,
      ...(query.jym ? { jym: query.jym } : {}),
      ...(query.kpje ? { kpje: query.kpje } : {}),
    };
    const result = await this.ok<AuthorityVerifyResult>('POST', AUTHORITY_PATHS.verify(taxNo), body);
    return {
      channel: this.channel,
      code: result.returncode,
      message: result.returnmsg,
      ...(result.invoice ? { invoice: toAuthorityRecord(result.invoice) } : {}),
    };
  }

  async clearCardStatus(taxNo: string, deviceNo: string, period: string): Promise<ClearCardStatus> {
    const path = `${AUTHORITY_PATHS.clearCard(taxNo, deviceNo)}?${new URLSearchParams({ period }).toString()}`;
    return { ...(await this.ok<ClearCardView>('GET', path)) };
  }

  get available(): boolean {
    return this.client.available;
  }

  shutdown(): void {
    this.client.shutdown();
  }

  private async ok<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const envelope = await this.client.call<T>(method, path, body);
    if (envelope.code !== AUTHORITY_CODES.OK || envelope.data === undefined) throw authorityFailure(this.client.target, envelope);
    return envelope.data;
  }
}
