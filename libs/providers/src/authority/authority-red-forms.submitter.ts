import { Clock } from '@lib/common';
import { parseInvoiceKey } from '@lib/domain';
import { AUTHORITY_CODES, AUTHORITY_PATHS, RedFormCreateRequest, RedFormView, wireInvoiceKey } from '@lib/protocols';
import { RedFormSubmission, RedFormSubmitResult, RedFormSubmitter } from '../ports/red-form-submission.port';
import { AuthorityClient, AuthorityConnection } from './authority.client';
import { authorityCode, authorityFailure } from './authority-codes';

/**
 * Enters red-letter confirmation forms at the authority as the seller (`POST /v1/taxpayers/{taxNo}/red-forms`), through
 * its own breaker (`authority-red-forms-submit`: entering forms never trips tracking's reads, or the reverse) and the
 * connection's per-call deadline (AUTHORITY_TIMEOUT_MS). The request carries our request number; `lookup` lists the
 * seller's forms and picks the one with that number for that original, so a caller whose answer was lost (timeout,
 * reset connection, 9999) can tell whether the form exists before entering it again.
 */
export class AuthorityRedFormsSubmitter implements RedFormSubmitter {
  private readonly client: AuthorityClient;

  constructor(connection: AuthorityConnection, clock: Clock) {
    this.client = new AuthorityClient(
      { ...connection, name: connection.name ?? 'authority-red-forms-submit' },
      clock,
    );
  }

  async submit(s: RedFormSubmission): Promise<RedFormSubmitResult> {
    const body: RedFormCreateRequest = {
      original: { code: s.original.code, number: s.original.number },
      reason: s.reason,
      amount: negative(s.amount),
      taxAmount: negative(s.taxAmount),
      requestNo: s.requestNo,
    };
    const envelope = await this.client.call<RedFormView>('POST', AUTHORITY_PATHS.redForms(s.taxNo), body);
    if (envelope.code === AUTHORITY_CODES.OK && envelope.data)
      return { status: 'created', form: envelope.data };
    const failure = authorityFailure(this.client.target, envelope);
    if (failure.kind === 'rejected')
      return { status: 'refused', code: authorityCode(envelope.code), message: envelope.message };
    throw failure;
  }

  async lookup(taxNo: string, requestNo: string, originalInvoiceKey: string): Promise<RedFormView | null> {
    const envelope = await this.client.call<{ items: RedFormView[] }>('GET', AUTHORITY_PATHS.redForms(taxNo));
    if (envelope.code !== AUTHORITY_CODES.OK || !envelope.data)
      throw authorityFailure(this.client.target, envelope);
    // The authority names the original by its wire key (code and number run together), ours has a dash between them.
    const original = wireInvoiceKey(parseInvoiceKey(originalInvoiceKey));
    const ours = envelope.data.items.filter((f) => f.requestNo === requestNo && f.originalInvoiceKey === original);
    ours.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.formId.localeCompare(b.formId));
    return ours[0] ?? null;
  }

  get available(): boolean {
    return this.client.available;
  }

  shutdown(): void {
    this.client.shutdown();
  }
}

/** "123.45" → "-123.45"; an amount already negative is sent as it is. */
function negative(amount: string): string {
  return amount.startsWith('-') ? amount : `-${amount}`;
}
