import { INVOICE_TYPES, InvoiceType, verificationQueryOf } from '@lib/domain';
import { InvoiceVerifier } from '@lib/providers';
import { toChannelError } from './channel-errors';
import { InvoiceCheck, InvoiceCheckChannel, InvoiceToCheck } from './invoice-check.port';

/** The authority saying it is down or busy (9002, a 503 with Retry-After): skip this channel for the rest of the pull. */
const OUTAGE_CODES: ReadonlySet<string> = new Set(['AUTHORITY_SERVICE_UNAVAILABLE', 'SERVICE_UNAVAILABLE']);

/**
 * 查验 of one invoice through an InvoiceVerifier (the authority's verification endpoint, or a platform's,
 * e.g. Baiwang `baiwang.input.compliance.validate`). 00 gives the authority's record (content and status);
 * 02 no record; 03 a record whose type, date or amount differ from ours (the answer carries no numbers);
 * 05 this invoice's daily quota on this channel is used up. The ledger keeps no check code, so a legacy
 * general invoice (verified by the check code's last 6 digits) cannot be verified here.
 */
export class VerificationCheckChannel implements InvoiceCheckChannel {
  constructor(
    readonly name: string,
    private readonly verifier: InvoiceVerifier,
  ) {}

  async check(taxNo: string, invoice: InvoiceToCheck): Promise<InvoiceCheck> {
    if (!(INVOICE_TYPES as readonly string[]).includes(invoice.type)) return { outcome: 'skipped', detail: `unknown invoice type ${invoice.type}` };
    const query = verificationQueryOf({ ...invoice, type: invoice.type as InvoiceType, checkCode: null });
    if (query.kpje === null) return { outcome: 'skipped', detail: 'needs the check code, which the ledger does not keep' };
    let answer;
    try {
      answer = await this.verifier.verify(taxNo, query);
    } catch (error) {
      throw toChannelError(error, OUTAGE_CODES);
    }
    const said = `查验 ${answer.code} ${answer.message}`;
    switch (answer.code) {
      case '00':
        if (!answer.invoice) return { outcome: 'skipped', detail: `${said} without the invoice` };
        return {
          outcome: 'found',
          record: {
            invoiceKey: invoice.invoiceKey,
            type: answer.invoice.type,
            code: answer.invoice.code,
            number: answer.invoice.number,
            issuedAt: answer.invoice.issuedAt,
            amount: answer.invoice.amount,
            taxAmount: answer.invoice.taxAmount,
            totalAmount: answer.invoice.totalAmount,
            status: answer.invoice.status,
            buyerTaxNo: answer.invoice.buyerTaxNo,
            buyerName: answer.invoice.buyerName,
            lineCount: answer.invoice.lineCount ?? null,
          },
        };
      case '02':
        return { outcome: 'absent', detail: said };
      case '03':
        return { outcome: 'differs', detail: said };
      case '05':
        return { outcome: 'quota', detail: said };
      default:
        return { outcome: 'skipped', detail: said };
    }
  }
}
