import { FieldError } from '@lib/contracts';

/** Codes the gateway adds to the validation catalogue of @lib/contracts: they depend on what was stored before. */
export const INGEST_CODES = {
  IDEMPOTENCY_CONFLICT:
    'this eventId was already used for different content; use a new eventId for new content',
  DUPLICATE_INVOICE_KEY:
    'an invoice with this key (and kind) was already accepted with different content; reconciliation will report DUPLICATE_INVOICE',
} as const;

export function idempotencyConflict(field: string): FieldError {
  return { code: 'IDEMPOTENCY_CONFLICT', field, message: INGEST_CODES.IDEMPOTENCY_CONFLICT };
}

export function duplicateInvoiceKey(field: string, invoiceKey: string): FieldError {
  return {
    code: 'DUPLICATE_INVOICE_KEY',
    field,
    message: `${INGEST_CODES.DUPLICATE_INVOICE_KEY} (key ${invoiceKey})`,
  };
}
