import type { Logger } from 'pino';
import { Clock } from '@lib/common';
import { NUONUO_CODES, NUONUO_METHODS, NuonuoInvoiceResult, NuonuoQueryRequest, NuonuoSubmitResult } from '@lib/protocols';
import { DeliveryRequest, InvoiceTargetAdapter, LookupResult, UploadResult } from '../ports/invoice-target.port';
import { TokenStore } from '../ports/token-store.port';
import { msUntilNextShanghaiMidnight } from '../shared/shanghai-midnight';
import { nuonuoFailure } from './nuonuo-codes';
import { toNuonuoOrder } from './nuonuo-order.mapper';
import { NuonuoConnection, NuonuoGateway } from './nuonuo.gateway';
import { RecentSubmissions } from './recent-submissions';

export interface NuonuoAdapterOptions {
  /** "Not found" this soon after this process submitted the order still means pending (Nuonuo: 10 min). */
  notFoundGraceMs: number;
}

/**
 * Delivers through Nuonuo: the invoice is submitted as an order (orderNo = our serial) and issued
 * asynchronously, so an accepted submit is `pending`; the lookup (`queryInvoiceResult` by orderNo) says
 * 2 → accepted, 20/21 → pending, 22/24 → failed (a new upload under a new serial is needed). E9106 (the
 * serial is already there) is answered by a lookup, never by a failure; E9613 waits until the next
 * Shanghai midnight. Voids and red reasons 03/04 cannot be carried: rejected with a code.
 */
export class NuonuoAdapter implements InvoiceTargetAdapter {
  readonly target = 'nuonuo' as const;
  private readonly gateway: NuonuoGateway;
  private readonly recent: RecentSubmissions;

  constructor(
    connection: NuonuoConnection,
    tokens: TokenStore,
    private readonly clock: Clock,
    options: NuonuoAdapterOptions,
    logger?: Logger,
  ) {
    this.gateway = new NuonuoGateway({ ...connection, name: 'nuonuo' }, tokens, clock, logger);
    this.recent = new RecentSubmissions(options.notFoundGraceMs);
  }

  get available(): boolean {
    return this.gateway.available;
  }

  async upload(request: DeliveryRequest): Promise<UploadResult> {
    const mapped = toNuonuoOrder(request);
    if (!mapped.ok) return { status: 'rejected', code: mapped.code, message: mapped.message };
    this.recent.note(request.serialNo, this.clock.now().getTime());
    const answer = await this.gateway.call<NuonuoSubmitResult>(NUONUO_METHODS.submit, request.invoice.sellerTaxNo, {
      order: mapped.order,
    });
    if (answer.code === NUONUO_CODES.OK) {
      return { status: 'pending', targetRecordId: answer.result?.invoiceSerialNum, detail: 'submitted; issuing' };
    }
    if (answer.code === NUONUO_CODES.DUPLICATE_SERIAL) return this.alreadySubmitted(request);
    if (answer.code === NUONUO_CODES.SERIAL_DAILY_LIMIT) {
      const retryAfterMs = answer.retryAfterMs ?? msUntilNextShanghaiMidnight(this.clock.now());
      throw nuonuoFailure(this.target, answer.code, answer.describe, retryAfterMs);
    }
    const failure = nuonuoFailure(this.target, answer.code, answer.describe, answer.retryAfterMs);
    if (failure.kind === 'rejected') return { status: 'rejected', code: failure.code, message: failure.message };
    throw failure;
  }

  async lookup(request: DeliveryRequest): Promise<LookupResult> {
    if (!toNuonuoOrder(request).ok) return { status: 'absent' };
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

  /**
   * Whether the order was submitted within the not-found grace: from the caller's first-send time when it
   * gives one (it survives a restart of this process), else from this process's own memory. Either one
   * saying "recently" is enough: the memory also covers a submit the caller has not recorded yet.
   */
  private submittedRecently(request: DeliveryRequest): boolean {
    const now = this.clock.now().getTime();
    if (request.firstSentAt && this.recent.withinSince(request.firstSentAt.getTime(), now)) return true;
    return this.recent.within(request.serialNo, now);
  }

  /** E9106: Nuonuo has this serial already. Whatever the query says, it exists: accepted, or pending until it does. */
  private async alreadySubmitted(request: DeliveryRequest): Promise<UploadResult> {
    const found = await this.lookup(request);
    if (found.status === 'found' && found.state === 'accepted') {
      return { status: 'accepted', targetRecordId: found.targetRecordId, detail: 'Nuonuo already had this serial' };
    }
    return { status: 'pending', detail: 'Nuonuo already had this serial (E9106); waiting for its result' };
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
