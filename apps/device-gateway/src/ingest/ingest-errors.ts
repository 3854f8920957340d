import { FieldError } from '@lib/contracts';
import { GatewayErrorCode } from '../gateway-error-codes';

/**
 * What the gateway's own ingest codes say. They add to the validation catalogue of @lib/contracts, and are not in it,
 * because they depend on what was stored before.
 */
export const INGEST_MESSAGES = {
  [GatewayErrorCode.IDEMPOTENCY_CONFLICT]:
    'this eventId was already used for different content; use a new eventId for new content',
  [GatewayErrorCode.DUPLICATE_INVOICE_KEY]:
    'an invoice with this key (and kind) was already accepted with different content; reconciliation will report DUPLICATE_INVOICE',
} as const;

export function idempotencyConflict(field: string): FieldError {
  return {
    code: GatewayErrorCode.IDEMPOTENCY_CONFLICT,
    field,
    message: INGEST_MESSAGES[GatewayErrorCode.IDEMPOTENCY_CONFLICT],
  };
}

export function duplicateInvoiceKey(field: string, invoiceKey: string): FieldError {
  return {
    code: GatewayErrorCode.DUPLICATE_INVOICE_KEY,
    field,
    message: `${INGEST_MESSAGES[GatewayErrorCode.DUPLICATE_INVOICE_KEY]} (key ${invoiceKey})`,
  };
}
