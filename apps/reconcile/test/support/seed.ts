import { randomUUID } from 'node:crypto';
import { AuthorityListRecord } from '../../src/pull/authority-list.port';
import { StagingRepository } from '../../src/pull/staging.repository';
import { ReconcileDb, TAX_NO } from './reconcile-db';

/** A 数电 invoice key (20 digits) from a small number. */
export const key = (n: number): string => `25442000000${String(n).padStart(9, '0')}`;

export interface LedgerSeed {
  key: string;
  period?: string;
  deviceId?: string;
  branchId?: string;
  type?: string;
  state?: 'issued' | 'voided' | 'red_reversed';
  amount?: string;
  taxAmount?: string;
  totalAmount?: string;
  issuedAt?: string;
  updatedAt?: string;
  source?: 'ledger' | 'authority';
  /** The buyer and the line count (CONTENT_MISMATCH); on a staged record, left out as a channel that does not carry them. */
  buyerTaxNo?: string | null;
  buyerName?: string | null;
  lineCount?: number | null;
}

/** Hand-made projection and staged rows, written straight to the tables the comparison reads. */
export class Seed {
  constructor(
    private readonly db: ReconcileDb,
    private readonly taxNo = TAX_NO,
  ) {}

  async ledger(s: LedgerSeed): Promise<void> {
    await this.db.query(
      `INSERT INTO ledger_invoices (invoice_key, tax_no, branch_id, device_id, period, invoice_type, invoice_code, invoice_number, colour,
         state, amount, tax_amount, total_amount, issued_at, received_at, source, updated_at, buyer_tax_no, buyer_name, line_count)
       VALUES ($1, $2, $3, $4, $5, $6, NULL, $1, 'blue', $7, $8, $9, $10, $11, $11, $12, $13, $14, $15, $16)`,
      [
        s.key, this.taxNo, s.branchId ?? 'sz', s.deviceId ?? 'dev-1', s.period ?? '2026-10', s.type ?? 'DIGITAL_GENERAL', s.state ?? 'issued',
        s.amount ?? '100.00', s.taxAmount ?? '13.00', s.totalAmount ?? '113.00', s.issuedAt ?? '2026-10-10T02:00:00Z', s.source ?? 'ledger',
        s.updatedAt ?? '2026-10-10T02:00:00Z', s.buyerTaxNo ?? null, s.buyerName ?? null, s.lineCount ?? null,
      ],
    );
    await this.version(s.key, s.totalAmount ?? '113.00', s.amount ?? '100.00', s.taxAmount ?? '13.00');
  }

  async version(invoiceKey: string, total: string, amount = '100.00', tax = '13.00'): Promise<void> {
    await this.db.query(
      `INSERT INTO ledger_invoice_versions (invoice_key, content_hash, amount, tax_amount, total_amount, first_event_id, seen_at)
       VALUES ($1, md5($1::text || $2::text || $3::text || $4::text), $3::numeric, $4::numeric, $2::numeric, $5, '2026-10-10T02:00:00Z')`,
      [invoiceKey, total, amount, tax, randomUUID()],
    );
  }

  async delivery(invoiceKey: string, target: string, outcome: string, at: string, extra: { errorCode?: string; relayedVia?: string } = {}): Promise<void> {
    const accepted = outcome === 'accepted' || outcome === 'relayed' ? at : null;
    await this.db.query(
      `INSERT INTO sync_deliveries (invoice_key, target, outcome, relayed_via, error_code, error_message, attempts, first_accepted_at, last_accepted_at, at)
       VALUES ($1, $2, $3, $4, $5, $6, 8, $7, $7, $8)`,
      [invoiceKey, target, outcome, extra.relayedVia ?? null, extra.errorCode ?? null, extra.errorCode ? 'platform busy' : null, accepted, at],
    );
  }

  /** One authority record staged for a run, through the pull's own staging (a key staged again replaces its row). */
  async staged(runId: string, s: LedgerSeed & { status?: AuthorityListRecord['status'] }, channel = 'authority'): Promise<void> {
    const record: AuthorityListRecord = {
      invoiceKey: s.key,
      type: s.type ?? 'DIGITAL_GENERAL',
      code: null,
      number: s.key,
      issuedAt: s.issuedAt ?? '2026-10-10T02:00:00Z',
      amount: s.amount ?? '100.00',
      taxAmount: s.taxAmount ?? '13.00',
      totalAmount: s.totalAmount ?? '113.00',
      status: s.status ?? 'NORMAL',
      ...(s.buyerName !== undefined ? { buyerName: s.buyerName, buyerTaxNo: s.buyerTaxNo ?? null } : {}),
      ...(s.lineCount !== undefined ? { lineCount: s.lineCount } : {}),
    };
    await this.db.dataSource.transaction((m) => new StagingRepository().stagePage(m, runId, 1, channel, [record], new Date()));
  }

  /** Copies one run's staged rows to another (a re-run that pulled the same records). */
  async restage(fromRun: string, toRun: string): Promise<void> {
    await this.db.query(
      `INSERT INTO authority_staged (run_id, page_no, channel, invoice_key, invoice_type, invoice_code, invoice_number, issued_at, amount,
         tax_amount, total_amount, status, observed_at, conflicting, buyer_tax_no, buyer_name, line_count)
       SELECT $2, page_no, channel, invoice_key, invoice_type, invoice_code, invoice_number, issued_at, amount, tax_amount, total_amount,
              status, observed_at, conflicting, buyer_tax_no, buyer_name, line_count FROM authority_staged WHERE run_id = $1`,
      [fromRun, toRun],
    );
    await this.db.query(
      `INSERT INTO authority_staged_versions (run_id, invoice_key, amount, tax_amount, total_amount, status, channel, page_no, observed_at)
       SELECT $2, invoice_key, amount, tax_amount, total_amount, status, channel, page_no, observed_at FROM authority_staged_versions WHERE run_id = $1`,
      [fromRun, toRun],
    );
  }

  async clearCard(deviceId: string, period: string, status: 'succeeded' | 'failed', at: string, errorCode: string | null = null): Promise<void> {
    await this.db.query(
      `INSERT INTO device_clear_cards (device_id, period, tax_no, branch_id, status, succeeded_at, at, error_code, error_message, event_id)
       VALUES ($1, $2, $3, 'sz', $4, CASE WHEN $4 = 'succeeded' THEN $5::timestamptz END, $5, $6, $7, $8)`,
      [deviceId, period, this.taxNo, status, at, errorCode, errorCode ? 'card reader busy' : null, randomUUID()],
    );
  }

  async report(deviceId: string, period: string, type: string, count: number, amount: string, tax: string): Promise<void> {
    await this.db.query(
      `INSERT INTO device_reports (device_id, period, invoice_type, tax_no, branch_id, invoice_count, amount, tax_amount, event_id, reported_at)
       VALUES ($1, $2, $3, $4, 'sz', $5, $6, $7, $8, now())`,
      [deviceId, period, type, this.taxNo, count, amount, tax, randomUUID()],
    );
  }

  async monitor(
    deviceId: string,
    at: string,
    lockDate: string,
    offline: { since?: string; amount?: string; limit?: string; hours?: number; firstSeen?: string } = {},
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO device_monitors (device_id, tax_no, branch_id, at, lock_date, offline_since, offline_amount, offline_amount_limit,
         offline_hours_limit, event_id, first_seen_at)
       VALUES ($1, $2, 'sz', $3, $4, $5, $6, $7, $8, $9, $10)`,
      [deviceId, this.taxNo, at, lockDate, offline.since ?? null, offline.amount ?? '0.00', offline.limit ?? '10000.00', offline.hours ?? 72, randomUUID(), offline.firstSeen ?? at],
    );
  }
}
