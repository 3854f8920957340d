import { InvoiceType } from '@lib/domain';

export type AuthorityInvoiceStatus = 'NORMAL' | 'VOIDED' | 'RED_REVERSED';

/** One invoice as the authority holds it (header only; money as decimal strings, negative for red). */
export interface AuthorityRecord {
  /** Our invoice key (`code-number`, or the 数电 number). */
  invoiceKey: string;
  type: InvoiceType;
  code: string | null;
  number: string;
  issuedAt: string;
  sellerTaxNo: string;
  sellerName: string;
  buyerTaxNo: string | null;
  buyerName: string;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  status: AuthorityInvoiceStatus;
  /** How many lines the invoice has, when the answer carries them (查验 gives the whole invoice; a list row has none). */
  lineCount?: number | null;
}

export interface AuthorityRecordsQuery {
  taxNo: string;
  /** YYYY-MM (Asia/Shanghai). */
  period: string;
  /** sales: as seller (default); purchase: as buyer. */
  direction?: 'sales' | 'purchase';
  /** 1..1000 (default 100). */
  pageSize?: number;
  pageToken?: string | null;
}

export interface AuthorityRecordsPage {
  items: AuthorityRecord[];
  /** Null on the last page. */
  nextPageToken: string | null;
}

export type ClearCardState = 'NOT_CLEARED' | 'CLEARED' | 'FAILED';

export interface ClearCardStatus {
  taxNo: string;
  deviceNo: string;
  period: string;
  status: ClearCardState;
  clearedAt: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/**
 * What reconcile reads from the authority. Failures are thrown as ExternalCallError (libs/resilience):
 * a pull that fails part-way is incomplete and must not be treated as "missing" evidence.
 */
export interface AuthorityRecordsReader {
  listPage(query: AuthorityRecordsQuery): Promise<AuthorityRecordsPage>;
  clearCardStatus(taxNo: string, deviceNo: string, period: string): Promise<ClearCardStatus>;
}

/** Every page of a query, in order; throws (and so yields nothing more) when a page cannot be read. */
export async function* authorityRecordPages(
  reader: AuthorityRecordsReader,
  query: Omit<AuthorityRecordsQuery, 'pageToken'>,
): AsyncGenerator<AuthorityRecordsPage> {
  let pageToken: string | null = null;
  do {
    const page: AuthorityRecordsPage = await reader.listPage({ ...query, pageToken });
    yield page;
    pageToken = page.nextPageToken;
  } while (pageToken);
}
