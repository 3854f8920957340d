import { InvoiceEventKind, InvoiceIdentity } from '@lib/domain';

/** What a platform knows of an upload made through it, including whether the authority shows it yet. */
export interface PlatformUpload {
  platform: string;
  serialNo: string;
  /** Our invoice key. */
  invoiceKey: string;
  kind: InvoiceEventKind;
  uploadedAt: string;
  /** VISIBLE at the authority, PENDING (accepted, not yet visible), NOT_FOUND (the authority has no record). */
  authorityStatus: 'VISIBLE' | 'PENDING' | 'NOT_FOUND';
  invoiceStatus: 'NORMAL' | 'VOIDED' | 'RED_REVERSED' | null;
}

/** The alternate channel's view of uploads (Baiwang `baiwang.output.invoice.query`). */
export interface PlatformUploadsReader {
  readonly platform: string;
  /** The upload of this invoice (by our serial when given, else by the invoice); null when the platform has none. */
  findUpload(taxNo: string, invoice: InvoiceIdentity, serialNo?: string): Promise<PlatformUpload | null>;
}
