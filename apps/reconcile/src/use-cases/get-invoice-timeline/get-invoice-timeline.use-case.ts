import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@lib/common';
import { BranchScope, scopeParam } from '@lib/platform';
import { findingView } from '../../findings/finding.view';
import { FindingsQueryRepository } from '../../findings/findings-query.repository';
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
  ) {}

  async execute(scope: BranchScope, invoiceKey: string) {
    if (!(await this.visible(scope, invoiceKey)))
      throw new AppError(ReconcileErrorCode.INVOICE_NOT_FOUND, 'not_found', `invoice ${invoiceKey} is not known`);
    const q = <T>(sql: string) => this.dataSource.query(sql, [invoiceKey]) as Promise<T[]>;
    const [ledger] = await q<Record<string, unknown>>(
      `SELECT invoice_key, tax_no, branch_id, device_id, period, invoice_type, state, amount::text, tax_amount::text, total_amount::text,
              source, confirmed_at FROM ledger_invoices WHERE invoice_key = $1`,
    );
    const events = await q<{ event_id: string; kind: string; received_at: Date; summary: Record<string, unknown> }>(
      'SELECT event_id, kind, received_at, summary FROM ledger_events WHERE invoice_key = $1',
    );
    const results = await q<{ event_id: string; at: Date; payload: Record<string, unknown> }>('SELECT event_id, at, payload FROM sync_result_log WHERE invoice_key = $1');
    const observations = await q<Record<string, unknown> & { observed_at: Date }>(
      // an answer reused by later runs (per-invoice pull) is one observation: shown once, under the run that asked
      `SELECT DISTINCT ON (a.channel, a.observed_at) COALESCE(a.reused_from_run, a.run_id) AS run_id, a.channel, a.status, a.amount::text,
              a.tax_amount::text, a.total_amount::text, a.observed_at
         FROM authority_staged a WHERE a.invoice_key = $1
        ORDER BY a.channel, a.observed_at, a.reused_from_run IS NULL DESC`,
    );
    const findings = await this.findings.byInvoice(invoiceKey);
    const histories = await this.findings.histories(this.dataSource.manager, findings.map((f) => f.id));
    const iso = (d: Date) => new Date(d).toISOString();
    const entries: TimelineEntry[] = [
      ...events.map((e) => ({ at: iso(e.received_at), kind: 'invoice-event' as const, summary: { eventId: e.event_id, kind: e.kind, ...e.summary } })),
      ...results.map((r) => ({ at: iso(r.at), kind: 'sync-result' as const, summary: { eventId: r.event_id, ...r.payload } })),
      ...observations.map(({ observed_at, ...o }) => ({ at: iso(observed_at), kind: 'authority-observation' as const, summary: o })),
      ...findings.map((f) => ({ at: f.createdAt.toISOString(), kind: 'finding' as const, summary: findingView(f, histories.get(f.id) ?? []) })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    return { invoiceKey, ledger: ledger ?? null, entries };
  }

  /**
   * The invoice's branch is its ledger row's; without one (only the authority or a delivery knows it), its findings'; an
   * invoice known to neither (a delivery outcome alone) has no branch and only an all-branch scope sees it.
   */
  private async visible(scope: BranchScope, invoiceKey: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT visible FROM (
         SELECT 1 AS rank, ($2::text[] IS NULL OR branch_id = ANY($2::text[])) AS visible FROM ledger_invoices WHERE invoice_key = $1
         UNION ALL
         SELECT 2, bool_or($2::text[] IS NULL OR branch_id = ANY($2::text[])) FROM findings WHERE invoice_key = $1 HAVING COUNT(*) > 0
         UNION ALL
         SELECT 3, $2::text[] IS NULL FROM (SELECT invoice_key FROM ledger_events WHERE invoice_key = $1
                                   UNION ALL SELECT invoice_key FROM sync_result_log WHERE invoice_key = $1
                                   UNION ALL SELECT invoice_key FROM authority_staged WHERE invoice_key = $1) k HAVING COUNT(*) > 0
       ) known ORDER BY rank LIMIT 1`,
      [invoiceKey, scopeParam(scope)],
    )) as { visible: boolean }[];
    return rows[0]?.visible === true;
  }
}
