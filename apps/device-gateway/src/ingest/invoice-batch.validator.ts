import {
  FieldError,
  InvoiceItem,
  InvoiceItemContext,
  InvoiceResult,
  validateInvoiceItem,
} from '@lib/contracts';
import { tryInvoiceKey } from '@lib/domain';
import { contentFingerprint } from './content-fingerprint';

/** An item that passed every rule. */
export interface ValidInvoice {
  index: number;
  /** As the client sent it (echoed in the answer). */
  eventId: string;
  /** Lower-case: the idempotency key and the envelope id. */
  id: string;
  item: InvoiceItem;
  invoiceKey: string;
  /** Fingerprint of {kind, invoice} after defaults: equal meaning, equal hash. */
  hash: Buffer;
  warnings: FieldError[];
}

/** A later valid item repeating an eventId of this request: answered from the first one's outcome. */
export interface RepeatedInvoice {
  index: number;
  eventId: string;
  first: ValidInvoice;
  sameContent: boolean;
}

export interface ValidatedBatch {
  /** Per index: the answer of a rejected item, or null while the item is still to be stored. */
  rejected: (InvoiceResult | null)[];
  /** The first valid item of each eventId, in request order. */
  firsts: ValidInvoice[];
  repeats: RepeatedInvoice[];
}

/** Validates every item on its own (shape, then business rules, both from @lib/contracts + @lib/domain). */
export function validateInvoiceBatch(items: unknown[], ctx: InvoiceItemContext): ValidatedBatch {
  const rejected: (InvoiceResult | null)[] = new Array<InvoiceResult | null>(items.length).fill(null);
  const firsts: ValidInvoice[] = [];
  const repeats: RepeatedInvoice[] = [];
  const firstById = new Map<string, ValidInvoice>();
  items.forEach((raw, index) => {
    const result = validateInvoiceItem(raw, ctx, { index });
    if (!result.ok || !result.value) {
      rejected[index] = { eventId: result.eventId, status: 'rejected', errors: result.errors };
      return;
    }
    const item = result.value;
    const invoiceKey = tryInvoiceKey(item.invoice);
    if (invoiceKey === null) {
      // The rules above already reject every item without a key; this keeps the type honest.
      const error = {
        code: 'INVOICE_KEY_INVALID',
        field: `invoices[${index}].invoice.number`,
        message: 'no invoice key',
      };
      rejected[index] = { eventId: item.eventId, status: 'rejected', errors: [error] };
      return;
    }
    const id = item.eventId.toLowerCase();
    const hash = contentFingerprint({ kind: item.kind, invoice: item.invoice });
    const first = firstById.get(id);
    if (first) {
      repeats.push({ index, eventId: item.eventId, first, sameContent: first.hash.equals(hash) });
      return;
    }
    const valid: ValidInvoice = {
      index,
      eventId: item.eventId,
      id,
      item,
      invoiceKey,
      hash,
      warnings: result.warnings,
    };
    firstById.set(id, valid);
    firsts.push(valid);
  });
  return { rejected, firsts, repeats };
}
