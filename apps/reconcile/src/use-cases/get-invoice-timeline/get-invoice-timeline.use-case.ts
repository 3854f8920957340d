import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@lib/common';
import { BranchScope } from '@lib/platform';
import { findingView } from '../../findings/finding.view';
import { FindingsQueryRepository } from '../../findings/findings-query.repository';
import { LedgerQueryRepository } from '../../projections/ledger-query.repository';
import { SyncProjectionRepository } from '../../projections/sync-projection.repository';
import { StagingRepository } from '../../pull/staging.repository';
import { ReconcileErrorCode } from '../../reconcile-error-codes';

interface TimelineEntry {
  at: string;
  kind: 'invoice-event' | 'sync-result' | 'authority-observation' | 'finding';
  summary: Record<string, unknown>;
}

/**
 * Everything reconcile knows about one invoice, in time order: events, delivery outcomes, authority observations, findings.
 * Only within the caller's branch scope: an invoice of another branch is not found, exactly as an unknown key.
 */
@Injectable()
export class GetInvoiceTimelineUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly findings: FindingsQueryRepository,
    private readonly ledger: LedgerQueryRepository,
    private readonly deliveries: SyncProjectionRepository,
    private readonly staging: StagingRepository,
  ) {}

  async execute(scope: BranchScope, invoiceKey: string) {
    if (!(await this.findings.invoiceVisible(scope, invoiceKey)))
      throw new AppError(ReconcileErrorCode.INVOICE_NOT_FOUND, 'not_found', `invoice ${invoiceKey} is not known`);
    const m = this.dataSource.manager;
    const ledger = await this.ledger.invoice(invoiceKey);
    const events = await this.ledger.events(invoiceKey);
    const results = await this.deliveries.results(m, invoiceKey);
    const observations = await this.staging.observations(m, invoiceKey);
    const findings = await this.findings.byInvoice(invoiceKey);
    const histories = await this.findings.histories(m, findings.map((f) => f.id));
    const iso = (d: Date) => new Date(d).toISOString();
    const entries: TimelineEntry[] = [
      ...events.map((e) => ({ at: iso(e.received_at), kind: 'invoice-event' as const, summary: { eventId: e.event_id, kind: e.kind, ...e.summary } })),
      ...results.map((r) => ({ at: iso(r.at), kind: 'sync-result' as const, summary: { eventId: r.event_id, ...r.payload } })),
      ...observations.map(({ observed_at, ...o }) => ({ at: iso(observed_at), kind: 'authority-observation' as const, summary: o })),
      ...findings.map((f) => ({ at: f.createdAt.toISOString(), kind: 'finding' as const, summary: findingView(f, histories.get(f.id) ?? []) })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    return { invoiceKey, ledger, entries };
  }
}
