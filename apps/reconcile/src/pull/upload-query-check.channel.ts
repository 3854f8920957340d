import { PlatformUploadsReader } from '@lib/providers';
import { toChannelError } from './channel-errors';
import { InvoiceCheck, InvoiceCheckChannel, InvoiceToCheck } from './invoice-check.port';

/**
 * A platform's view of an upload made through it (Baiwang `baiwang.output.invoice.query` by invoice key),
 * which says whether the authority shows the invoice and with which status, but not its amounts. Asked only
 * about invoices that platform accepted (it knows nothing of the others), and spends no 查验 quota.
 */
export class UploadQueryCheckChannel implements InvoiceCheckChannel {
  constructor(
    readonly name: string,
    private readonly reader: PlatformUploadsReader,
  ) {}

  async check(taxNo: string, invoice: InvoiceToCheck): Promise<InvoiceCheck> {
    if (!invoice.acceptedBy.includes(this.reader.platform)) return { outcome: 'skipped', detail: `not uploaded through ${this.reader.platform}` };
    let upload;
    try {
      upload = await this.reader.findUpload(taxNo, { code: invoice.code, number: invoice.number });
    } catch (error) {
      throw toChannelError(error);
    }
    if (!upload) return { outcome: 'skipped', detail: `${this.reader.platform} has no upload of it` };
    const said = `${this.reader.platform} upload ${upload.serialNo}: authority ${upload.authorityStatus}`;
    if (upload.authorityStatus === 'NOT_FOUND') return { outcome: 'absent', detail: said };
    if (upload.authorityStatus === 'PENDING') return { outcome: 'pending', detail: said };
    return { outcome: 'visible', status: upload.invoiceStatus, detail: said };
  }
}
