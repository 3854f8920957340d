import { Clock } from '@lib/common';
import {
  AUTHORITY_CODES,
  AUTHORITY_PATHS,
  AuthorityOwnInvoice,
  AuthorityUploadRequest,
  AuthorityUploadResult,
} from '@lib/protocols';
import { DeliveryRequest, InvoiceTargetAdapter, LookupResult, UploadResult } from '../ports/invoice-target.port';
import { platformKeyOf, toWireInvoice } from '../shared/wire-invoice.mapper';
import { AuthorityClient, AuthorityConnection } from './authority.client';
import { authorityCode, authorityFailure } from './authority-codes';

/**
 * Delivers to the tax authority's direct-connection API. The upload is idempotent on (invoice key,
 * issue|void) at the authority, so a resend after an unknown outcome cannot double an invoice; the
 * lookup asks for "our upload" of the invoice key, which the authority answers right after acceptance
 * (before the invoice becomes visible to queries). Every kind is carried: issued, red-issued (its own
 * key, referencing the original) and voided.
 */
export class AuthorityAdapter implements InvoiceTargetAdapter {
  readonly target = 'authority' as const;
  private readonly client: AuthorityClient;

  constructor(connection: AuthorityConnection, clock: Clock) {
    this.client = new AuthorityClient({ ...connection, name: 'authority' }, clock);
  }

  get available(): boolean {
    return this.client.available;
  }

  async upload(request: DeliveryRequest): Promise<UploadResult> {
    const invoice = toWireInvoice(request.invoice, request.deviceNo);
    const body: AuthorityUploadRequest = { kind: request.kind, invoice };
    const envelope = await this.client.call<AuthorityUploadResult>('POST', AUTHORITY_PATHS.upload(invoice.sellerTaxNo), body);
    if (envelope.code === AUTHORITY_CODES.OK && envelope.data) {
      return {
        status: 'accepted',
        targetRecordId: envelope.data.uploadId,
        detail: envelope.data.duplicate ? 'the authority already had it' : undefined,
      };
    }
    const failure = authorityFailure(this.target, envelope);
    if (failure.kind === 'rejected') return { status: 'rejected', code: authorityCode(envelope.code), message: failure.message };
    throw failure;
  }

  async lookup(request: DeliveryRequest): Promise<LookupResult> {
    const { sellerTaxNo } = request.invoice;
    const path = AUTHORITY_PATHS.invoice(sellerTaxNo, platformKeyOf(request.invoice));
    const envelope = await this.client.call<AuthorityOwnInvoice>('GET', path);
    if (envelope.code === AUTHORITY_CODES.INVOICE_NOT_FOUND) return { status: 'absent' };
    if (envelope.code !== AUTHORITY_CODES.OK || !envelope.data) throw authorityFailure(this.target, envelope);
    const own = envelope.data;
    // The invoice is there; a void is there only once the authority shows the invoice voided.
    if (request.kind === 'voided' && own.invoice.status !== 'VOIDED') return { status: 'absent' };
    return { status: 'found', state: 'accepted', targetRecordId: own.uploadId };
  }

  shutdown(): void {
    this.client.shutdown();
  }
}
