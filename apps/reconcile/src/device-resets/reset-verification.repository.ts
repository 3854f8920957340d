import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InvoiceToCheck } from '../pull/invoice-check.port';
import { INVOICE_TO_CHECK_COLUMNS, toInvoiceToCheck } from '../pull/ledger-scope.repository';

/** The device's latest 抄报 report since a time: its period, when, and how many invoices it counted. */
export interface ReportSeen {
  period: string;
  at: Date;
  invoices: number;
}

/** The device's clear-card since a time (a success first, else the latest). */
export interface ClearCardSeen {
  period: string;
  status: string;
  at: Date;
  error_code: string | null;
  error_message: string | null;
}

/** An answer of the authority recorded by a run (a per-invoice check or a listing's page). */
export interface AuthoritySeen {
  invoice_key: string;
  channel: string | null;
  observed_at: Date;
}

/** How the ledger holds a reset's backup: how many invoices, which are gone, which arrived again with other content. */
export interface BackupInLedger {
  backed_up: number;
  lost: number;
  lost_keys: string[] | null;
  duplicated: number;
  duplicated_keys: string[] | null;
}

/** What a reset's `verify` reads of what reconcile already knows: projections, recorded answers, the stored backup. */
@Injectable()
export class ResetVerificationRepository {
  /** The device's latest 抄报 report since a time (null: none). */
  async latestReport(m: EntityManager, deviceId: string, since: Date): Promise<ReportSeen | null> {
    const rows = (await m.query(
      // device_report_periods: a 抄报 of an empty month counts too (it leaves no per-type row in device_reports)
      `SELECT p.period, p.reported_at AS at,
              COALESCE((SELECT sum(r.invoice_count)::int FROM device_reports r
                         WHERE r.device_id = p.device_id AND r.period = p.period), 0) AS invoices
         FROM device_report_periods p
        WHERE p.device_id = $1 AND p.reported_at >= $2 ORDER BY p.reported_at DESC LIMIT 1`,
      [deviceId, since],
    )) as ReportSeen[];
    return rows[0] ?? null;
  }

  /** The device's clear-card since a time: a successful one first, else the latest (null: none). */
  async latestClearCard(m: EntityManager, deviceId: string, since: Date): Promise<ClearCardSeen | null> {
    const rows = (await m.query(
      `SELECT period, status, at, error_code, error_message FROM device_clear_cards
        WHERE device_id = $1 AND at >= $2 ORDER BY (status = 'succeeded') DESC, at DESC LIMIT 1`,
      [deviceId, since],
    )) as ClearCardSeen[];
    return rows[0] ?? null;
  }

  /** The device's newest ledger invoices of the taxpayer received since a time, newest first (20 at most). */
  async invoicesSince(
    m: EntityManager,
    deviceId: string,
    taxNo: string,
    since: Date,
  ): Promise<(InvoiceToCheck & { receivedAt: string })[]> {
    const rows = (await m.query(
      `SELECT ${INVOICE_TO_CHECK_COLUMNS}, l.received_at
         FROM ledger_invoices l
        WHERE l.device_id = $1 AND l.tax_no = $2 AND l.source = 'ledger' AND l.received_at >= $3
        ORDER BY l.received_at DESC, l.invoice_key LIMIT 20`,
      [deviceId, taxNo, since],
    )) as Record<string, unknown>[];
    return rows.map((r) => ({
      ...toInvoiceToCheck(r),
      receivedAt: new Date(r.received_at as string).toISOString(),
    }));
  }

  /** The newest answer a run recorded that the authority shows one of these invoices (null: none). */
  async knownAtAuthority(m: EntityManager, keys: string[]): Promise<AuthoritySeen | null> {
    const known = (await m.query(
      `SELECT invoice_key, channel, observed_at FROM authority_checks WHERE invoice_key = ANY($1::text[]) AND outcome IN ('found', 'visible')
       UNION ALL
       SELECT invoice_key, channel, observed_at FROM authority_staged WHERE invoice_key = ANY($1::text[])
       ORDER BY observed_at DESC LIMIT 1`,
      [keys],
    )) as AuthoritySeen[];
    return known[0] ?? null;
  }

  /** The reset's stored backup against the ledger now (invoices under the taxpayer, their versions). */
  async backupInLedger(m: EntityManager, resetId: string, taxNo: string): Promise<BackupInLedger> {
    const [row] = (await m.query(
      `SELECT count(*)::int AS backed_up,
              count(*) FILTER (WHERE l.invoice_key IS NULL)::int AS lost,
              (array_agg(b.invoice_key ORDER BY b.line_no) FILTER (WHERE l.invoice_key IS NULL))[1:10] AS lost_keys,
              count(*) FILTER (WHERE v.versions > 1)::int AS duplicated,
              (array_agg(b.invoice_key ORDER BY b.line_no) FILTER (WHERE v.versions > 1))[1:10] AS duplicated_keys
         FROM device_reset_backup_invoices b
         LEFT JOIN ledger_invoices l ON l.invoice_key = b.invoice_key AND l.tax_no = $2
         LEFT JOIN LATERAL (SELECT count(*) AS versions FROM ledger_invoice_versions x WHERE x.invoice_key = b.invoice_key) v ON true
        WHERE b.reset_id = $1`,
      [resetId, taxNo],
    )) as BackupInLedger[];
    return row;
  }
}
