import type { Logger } from 'pino';
import { Clock } from '@lib/common';
import {
  BAIWANG_ERRORS,
  BAIWANG_METHODS,
  BaiwangQueryRequest,
  BaiwangQueryResponse,
  BaiwangUploadRequest,
  BaiwangUploadResponse,
} from '@lib/protocols';
import { DeliveryRequest, InvoiceTargetAdapter, LookupResult, UploadResult } from '../ports/invoice-target.port';
import { TokenStore } from '../ports/token-store.port';
import { toWireInvoice } from '../shared/wire-invoice.mapper';
import { baiwangFailure } from './baiwang-codes';
import { BaiwangDeviceOperations } from './baiwang-device-operations';
import { BaiwangConnection, BaiwangGateway } from './baiwang.gateway';

/**
 * Delivers through Baiwang (`baiwang.output.invoice.upload`, idempotent on serialNo and on the invoice
 * key per issue/void), looked up by serialNo with `baiwang.output.invoice.query`. Issued, red-issued and
 * voided are all carried (the upload's `kind`), with the issuing device's `machineNo` when the request names
 * it. Baiwang relays what it accepts to the authority.
 */
export class BaiwangAdapter implements InvoiceTargetAdapter {
  readonly target = 'baiwang' as const;
  /** One-key 抄报 / 清卡 of devices hosted at Baiwang, on this adapter's gateway (its breaker and token). */
  readonly deviceOperations: BaiwangDeviceOperations;
  private readonly gateway: BaiwangGateway;

  constructor(connection: BaiwangConnection, tokens: TokenStore, clock: Clock, logger?: Logger) {
    this.gateway = new BaiwangGateway({ ...connection, name: 'baiwang' }, tokens, clock, logger);
    this.deviceOperations = new BaiwangDeviceOperations(this.gateway, {
      timeoutMs: connection.deviceOpsTimeoutMs ?? connection.timeoutMs,
      logger,
    });
  }

  get available(): boolean {
    return this.gateway.available;
  }

  async upload(request: DeliveryRequest): Promise<UploadResult> {
    const invoice = toWireInvoice(request.invoice, request.deviceNo);
    const body: BaiwangUploadRequest = { taxNo: invoice.sellerTaxNo, serialNo: request.serialNo, kind: request.kind, invoice };
    const envelope = await this.gateway.call<BaiwangUploadResponse>(BAIWANG_METHODS.upload, body);
    if (envelope.success && envelope.response) {
      return {
        status: 'accepted',
        targetRecordId: envelope.response.serialNo,
        detail: envelope.response.duplicate ? 'Baiwang already had it' : undefined,
      };
    }
    const failure = baiwangFailure(this.target, envelope.errorResponse);
    if (failure.kind === 'rejected') return { status: 'rejected', code: failure.code, message: failure.message };
    throw failure;
  }

  async lookup(request: DeliveryRequest): Promise<LookupResult> {
    const body: BaiwangQueryRequest = { taxNo: request.invoice.sellerTaxNo, serialNo: request.serialNo };
    const envelope = await this.gateway.call<BaiwangQueryResponse>(BAIWANG_METHODS.query, body);
    if (envelope.success && envelope.response) {
      return { status: 'found', state: 'accepted', targetRecordId: envelope.response.serialNo };
    }
    if (envelope.errorResponse?.code === BAIWANG_ERRORS.NOT_FOUND.code) return { status: 'absent' };
    throw baiwangFailure(this.target, envelope.errorResponse);
  }

  shutdown(): void {
    this.gateway.shutdown();
  }
}

