import { Clock } from '@lib/common';
import { AUTHORITY_CODES, AUTHORITY_PATHS, RedFormView } from '@lib/protocols';
import { AuthorityClient, AuthorityConnection } from './authority.client';
import { authorityFailure } from './authority-codes';

/**
 * Reads the authority's red-letter confirmation forms (数电 红字确认单) of a taxpayer: one form by id, or every
 * form where the taxpayer is seller or buyer. Read-only (entering, confirming or revoking a form is a
 * person's declaration, not ours); its own breaker (`authority-red-forms`), so tracking never trips the
 * delivery or the pull breaker. Failures are thrown as ExternalCallError; an unknown form id answers null.
 */
export class AuthorityRedFormsReader {
  private readonly client: AuthorityClient;

  constructor(connection: AuthorityConnection, clock: Clock) {
    this.client = new AuthorityClient({ ...connection, name: connection.name ?? 'authority-red-forms' }, clock);
  }

  async get(taxNo: string, formId: string): Promise<RedFormView | null> {
    const envelope = await this.client.call<RedFormView>('GET', AUTHORITY_PATHS.redForm(taxNo, encodeURIComponent(formId)));
    if (envelope.code === AUTHORITY_CODES.RED_FORM_NOT_FOUND) return null;
    if (envelope.code !== AUTHORITY_CODES.OK || !envelope.data) throw authorityFailure(this.client.target, envelope);
    return envelope.data;
  }

  async list(taxNo: string): Promise<RedFormView[]> {
    const envelope = await this.client.call<{ items: RedFormView[] }>('GET', AUTHORITY_PATHS.redForms(taxNo));
    if (envelope.code !== AUTHORITY_CODES.OK || !envelope.data) throw authorityFailure(this.client.target, envelope);
    return envelope.data.items;
  }

  get available(): boolean {
    return this.client.available;
  }

  shutdown(): void {
    this.client.shutdown();
  }
}
