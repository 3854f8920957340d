import { validateInvoice } from '@lib/domain';
import { FieldError } from '../errors/field-error.model';
import { InvoiceItem, invoiceItemSchema } from '../http/invoice-body.schema';
import { parseBody } from './parse-body.validator';

export interface InvoiceItemContext {
  /** Receipt time: voids and "issued in the future" are judged against it. */
  now: Date;
  /** The taxpayer the authenticated device is bound to (SELLER_MISMATCH otherwise). */
  deviceTaxNo: string;
  clockSkewMs?: number;
}

export interface InvoiceItemOptions {
  /** Position in the request: paths become `invoices[<index>].…`. */
  index?: number;
}

export interface InvoiceItemValidation {
  ok: boolean;
  /** The client's eventId when it could be read, even from an otherwise bad item (to answer in order). */
  eventId: string | null;
  value: InvoiceItem | null;
  errors: FieldError[];
  warnings: FieldError[];
}

/**
 * Validates one item of `POST /v1/invoices`: first its shape (contracts), then, if the shape is right, the business
 * rules (domain). Errors reject the item; warnings travel with an accepted one.
 */
export function validateInvoiceItem(
  raw: unknown,
  ctx: InvoiceItemContext,
  options: InvoiceItemOptions = {},
): InvoiceItemValidation {
  const prefix = options.index === undefined ? '' : `invoices[${options.index}]`;
  const eventId = readEventId(raw);
  const shape = parseBody(invoiceItemSchema, raw, prefix);
  if (!shape.ok) return { ok: false, eventId, value: null, errors: shape.errors, warnings: [] };
  const item = shape.value;
  const issues = validateInvoice(item.invoice, {
    kind: item.kind,
    now: ctx.now,
    deviceTaxNo: ctx.deviceTaxNo,
    clockSkewMs: ctx.clockSkewMs,
    fieldPrefix: prefix ? `${prefix}.invoice` : 'invoice',
  });
  const strip = ({ code, field, message }: FieldError): FieldError => ({ code, field, message });
  const errors = issues.filter((i) => i.severity === 'error').map(strip);
  const warnings = issues.filter((i) => i.severity === 'warning').map(strip);
  return { ok: errors.length === 0, eventId: item.eventId, value: item, errors, warnings };
}

function readEventId(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const eventId = (raw as { eventId?: unknown }).eventId;
  return typeof eventId === 'string' && eventId.length <= 64 ? eventId : null;
}
