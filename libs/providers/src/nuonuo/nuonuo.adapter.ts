import type { Logger } from 'pino';
import { Clock } from '@lib/common';
import { NUONUO_CODES, NUONUO_METHODS, NuonuoInvoiceResult, NuonuoQueryRequest } from '@lib/protocols';
import { DeliveryRequest, InvoiceTargetAdapter, LookupResult, UploadResult } from '../ports/invoice-target.port';
import { TokenStore } from '../ports/token-store.port';
import { nuonuoFailure } from './nuonuo-codes';
import { NuonuoConnection, NuonuoGateway } from './nuonuo.gateway';

export interface NuonuoAdapterOptions {
  /** "Not found" this soon after the caller's first send of an order still means pending (Nuonuo: 10 min). */
  notFoundGraceMs: number;
}

/** Why nothing is uploaded to Nuonuo (the code sync records on a delivery that reaches `upload`). */
export const NUONUO_QUERY_ONLY = 'NUONUO_QUERY_ONLY';

/**
 * Nuonuo as a query channel (registry role `query`). Its open platform can only issue a new invoice
 * (`requestBillingNew`, 请求开具发票) or retry one it failed to issue (`reInvoice`); it has no call that takes an
 * invoice a tax device already issued, and submitting one would issue a second invoice at the authority. So `upload`
 * refuses without calling Nuonuo, and `lookup` asks `queryInvoiceResult` for the order under our serial (orders
 * submitted before this change, or issued through Nuonuo): 2 → accepted, 20/21 → pending, 22/24 → failed; "not found"
 * within the grace of the caller's first send still means pending. docs/sync.md, "Nuonuo: a query channel".
 */
export class NuonuoAdapter implements InvoiceTargetAdapter {
  readonly target = 'nuonuo' as const;
  private readonly gateway: NuonuoGateway;

  constructor(
    connection: NuonuoConnection,
    tokens: TokenStore,
    private readonly clock: Clock,
    private readonly options: NuonuoAdapterOptions,
    logger?: Logger,
  ) {
    this.gateway = new NuonuoGateway({ ...connection, name: 'nuonuo' }, tokens, clock, logger);
  }

  get available(): boolean {
    return this.gateway.available;
  }

  upload(_request: DeliveryRequest): Promise<UploadResult> {
    return Promise.resolve({
      status: 'rejected',
      code: NUONUO_QUERY_ONLY,
      message:
        "Nuonuo is a query channel: its API issues new invoices (requestBillingNew) and takes none a tax device already issued; nothing was sent",
    });
  }

  async lookup(request: DeliveryRequest): Promise<LookupResult> {
    const body: NuonuoQueryRequest = { orderNos: [request.serialNo] };
    const answer = await this.gateway.call<NuonuoInvoiceResult[]>(NUONUO_METHODS.query, request.invoice.sellerTaxNo, body);
    const result = answer.code === NUONUO_CODES.OK ? answer.result?.find((r) => r.orderNo === request.serialNo) : undefined;
    if (result) return fromStatus(result);
    if (answer.code === NUONUO_CODES.OK || answer.code === NUONUO_CODES.NOT_FOUND) {
      // Nuonuo does not find an order for a while after taking it: recently submitted = pending.
      return this.submittedRecently(request) ? { status: 'found', state: 'pending' } : { status: 'absent' };
    }
    throw nuonuoFailure(this.target, answer.code, answer.describe, answer.retryAfterMs);
  }

  shutdown(): void {
    this.gateway.shutdown();
  }

  /** Whether the caller first sent this order within the not-found grace (its recorded first send survives restarts). */
  private submittedRecently(request: DeliveryRequest): boolean {
    if (!request.firstSentAt) return false;
    return this.clock.now().getTime() - request.firstSentAt.getTime() < this.options.notFoundGraceMs;
  }
}

function fromStatus(result: NuonuoInvoiceResult): LookupResult {
  switch (result.status) {
    case '2':
      return { status: 'found', state: 'accepted', targetRecordId: result.serialNo };
    case '20':
    case '21':
      return { status: 'found', state: 'pending', targetRecordId: result.serialNo };
    default:
      return {
        status: 'found',
        state: 'failed',
        code: result.status === '24' ? 'NUONUO_SEAL_FAILED' : 'NUONUO_ISSUE_FAILED',
        message: `${result.status} ${result.statusMsg}${result.failCause ? `: ${result.failCause}` : ''}`,
      };
  }
}
