import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { findingView } from '../../findings/finding.view';
import { FindingsQueryRepository } from '../../findings/findings-query.repository';

interface TimelineEntry {
  at: string;
  kind: 'invoice-event' | 'sync-result' | 'authority-observation' | 'finding';
  summary: Record<string, unknown>;
}

/** Everything reconcile knows about one invoice, in time order: events, delivery outcomes, authority observations, findings. */
@Injectable()
export class GetInvoiceTimelineUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly findings: FindingsQueryRepository,
  ) {}

  async execute(invoiceKey: string) {
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
}
