import type { Logger } from 'pino';
import { Clock } from '@lib/common';
import { InvoiceIdentity, tryInvoiceKey, VerificationQuery } from '@lib/domain';
import { BAIWANG_ERRORS, BAIWANG_METHODS, BaiwangQueryResponse, BaiwangValidateRequest, BaiwangValidateResponse, wireInvoiceKey } from '@lib/protocols';
import { InvoiceVerifier, VERIFICATION_CODES, VerificationAnswer, VerificationCode } from '../ports/invoice-verifier.port';
import { PlatformUpload, PlatformUploadsReader } from '../ports/platform-uploads.port';
import { TokenStore } from '../ports/token-store.port';
import { toAuthorityRecord } from '../shared/authority-record.mapper';
import { failure } from '../shared/call-failures';
import { baiwangFailure } from './baiwang-codes';
import { BaiwangConnection, BaiwangGateway } from './baiwang.gateway';

/**
 * Baiwang as the alternate channel to the authority: 查验 through `baiwang.input.compliance.validate`
 * (its own daily quota per invoice) and the upload ledger through `baiwang.output.invoice.query`, which
 * also says whether the authority shows the invoice yet. Own breaker (`baiwang-query`).
 */
export class BaiwangChannelAdapter implements InvoiceVerifier, PlatformUploadsReader {
  readonly channel = 'baiwang';
  readonly platform = 'baiwang';
  private readonly gateway: BaiwangGateway;

  constructor(connection: BaiwangConnection, tokens: TokenStore, clock: Clock, logger?: Logger) {
    this.gateway = new BaiwangGateway({ ...connection, name: connection.name ?? 'baiwang-query' }, tokens, clock, logger);
  }

  async verify(taxNo: string, query: VerificationQuery): Promise<VerificationAnswer> {
    const body: BaiwangValidateRequest = {
      taxNo,
      invoiceType: query.fplx,
      ...(query.fpdm ? { invoiceCode: query.fpdm } : {}),
      invoiceNumber: query.fphm,
      billingDate: query.kprq,
      ...(query.kpje && !query.jym ? { amount: query.kpje } : {}),
      ...(query.jym ? { checkCode: query.jym } : {}),
    };
    const envelope = await this.gateway.call<BaiwangValidateResponse>(BAIWANG_METHODS.validate, body);
    if (!envelope.success || !envelope.response) throw baiwangFailure(this.gateway.target, envelope.errorResponse);
    const { resultCode, resultMsg, invoice } = envelope.response;
    if (!(VERIFICATION_CODES as readonly string[]).includes(resultCode)) {
      throw failure(this.gateway.target, 'unknown', 'BAIWANG_UNKNOWN_RESULT_CODE', `查验 result ${resultCode}`);
    }
    return {
      channel: this.channel,
      code: resultCode as VerificationCode,
      message: resultMsg,
      ...(invoice ? { invoice: toAuthorityRecord(invoice) } : {}),
    };
  }

  async findUpload(taxNo: string, invoice: InvoiceIdentity, serialNo?: string): Promise<PlatformUpload | null> {
    const body = serialNo ? { taxNo, serialNo } : { taxNo, invoiceKey: wireInvoiceKey(invoice) };
    const envelope = await this.gateway.call<BaiwangQueryResponse>(BAIWANG_METHODS.query, body);
    if (!envelope.success || !envelope.response) {
      if (envelope.errorResponse?.code === BAIWANG_ERRORS.NOT_FOUND.code) return null;
      throw baiwangFailure(this.gateway.target, envelope.errorResponse);
    }
    const found = envelope.response;
    return {
      platform: this.platform,
      serialNo: found.serialNo,
      invoiceKey: tryInvoiceKey(invoice) ?? found.invoiceKey,
      kind: found.kind,
      uploadedAt: found.uploadTime,
      authorityStatus: found.authorityStatus,
      invoiceStatus: found.invoiceStatus,
    };
  }

  get available(): boolean {
    return this.gateway.available;
  }

  shutdown(): void {
    this.gateway.shutdown();
  }
}
