import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@lib/common';
import { BranchScope } from '@lib/platform';
import { AttemptRepository } from '../../delivery/attempt.repository';
import { DeliveryRepository } from '../../delivery/delivery.repository';
import { LedgerReadsRepository } from '../../ledger/ledger-reads.repository';
import { DeliveryView, toDeliveryView } from './delivery.view';
import { SyncErrorCode } from '../../sync-error-codes';

export interface InvoiceDeliveriesView {
  invoiceKey: string;
  invoice: {
    taxNo: string;
    branchId: string;
    type: string;
    colour: string;
    state: string;
    version: number;
    originalKey: string | null;
    totalAmount: string;
    redReversedAmount: string;
    issuedAt: string;
  } | null;
  events: { eventId: string; kind: string; status: string; reason: string | null; occurredAt: string; appliedAt: string | null }[];
  history: { version: number; state: string; cause: string; at: string }[];
  deliveries: DeliveryView[];
}

/**
 * Everything sync knows about one invoice: ledger state, events (parked or ignored ones too), and each delivery with its
 * attempts. An invoice outside the caller's branches answers like an unknown one; so does an invoice known only by
 * parked events (no ledger row, so no branch) to a caller limited to branches.
 */
@Injectable()
export class GetInvoiceDeliveriesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerReadsRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly attempts: AttemptRepository,
  ) {}

  async execute(invoiceKey: string, scope: BranchScope): Promise<InvoiceDeliveriesView> {
    const m = this.dataSource.manager;
    const notFound = () => new AppError(SyncErrorCode.INVOICE_NOT_FOUND, 'not_found', `sync has no invoice ${invoiceKey}`);
    const invoice = await this.ledger.detailInScope(m, invoiceKey, scope);
    if (!invoice && !scope.all) throw notFound();
    const events = await this.ledger.events(m, invoiceKey);
    if (!invoice && events.length === 0) throw notFound();
    const history = await this.ledger.history(m, invoiceKey);
    const rows = await this.deliveries.listForInvoices([invoiceKey]);
    const attempts = await this.attempts.forDeliveries(rows.map((r) => String(r.id)));
    const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
    return {
      invoiceKey,
      invoice: invoice
        ? {
            taxNo: String(invoice.tax_no),
            branchId: String(invoice.branch_id),
            type: String(invoice.invoice_type),
            colour: String(invoice.colour),
            state: String(invoice.state),
            version: Number(invoice.version),
            originalKey: (invoice.original_key as string | null) ?? null,
            totalAmount: String(invoice.total_amount),
            redReversedAmount: String(invoice.red_reversed_amount),
            issuedAt: iso(invoice.issued_at) as string,
          }
        : null,
      events: events.map((e) => ({
        eventId: String(e.event_id),
        kind: String(e.kind),
        status: String(e.status),
        reason: (e.reason as string | null) ?? null,
        occurredAt: iso(e.occurred_at) as string,
        appliedAt: iso(e.applied_at),
      })),
      history: history.map((h) => ({ version: h.version, state: h.state, cause: h.cause, at: new Date(h.at).toISOString() })),
      deliveries: rows.map((r) => toDeliveryView(r, attempts.filter((a) => String(a.delivery_id) === String(r.id)))),
    };
  }
}
