import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FindingSeverity, FindingState, FindingType } from '@lib/contracts';
import { returningRows } from '@lib/persistence';
import { FINDING_COLUMNS, toFindingRow } from '../findings/finding.mapper';
import { FindingRow } from '../findings/finding.model';
import { ReceivedInvoice } from './received-invoice.model';
import { lockReconcileScope } from '../persistence/scope-lock';

/** A received invoice's finding as a check writes it: its cause, severity, sentence and evidence. */
export interface ReceivedFindingContent {
  type: FindingType;
  severity: FindingSeverity;
  explanation: string;
  evidence: Record<string, unknown>;
}

/** The findings of received invoices in the `findings` table, as a conclusive check opens, updates or resolves them. */
@Injectable()
export class ReceivedFindingsRepository {
  /** The scope's advisory lock (taxpayer and period), as a run's merge takes it: a run and a check never write at once. */
  async lockScope(m: EntityManager, taxNo: string, period: string): Promise<void> {
    await lockReconcileScope(m, taxNo, period);
  }

  /** The invoice's findings of the given types, locked. */
  async lockOf(m: EntityManager, inv: ReceivedInvoice, types: readonly FindingType[]): Promise<FindingRow[]> {
    const rows = (await m.query(
      `SELECT ${FINDING_COLUMNS} FROM findings WHERE tax_no = $1 AND period = $2 AND subject = $3 AND type = ANY($4::text[]) FOR UPDATE`,
      [inv.taxNo, inv.period, inv.invoiceKey, types],
    )) as Record<string, unknown>[];
    return rows.map(toFindingRow);
  }

  /** A new open finding `id` of the invoice (its subject and invoice key are the invoice's key). */
  async insert(
    m: EntityManager,
    id: string,
    inv: ReceivedInvoice,
    f: ReceivedFindingContent,
    now: Date,
  ): Promise<FindingRow> {
    const [row] = (await m.query(
      `INSERT INTO findings (id, tax_no, period, type, subject, state, severity, branch_id, device_id, invoice_key, invoice_type, invoice_code,
         invoice_number, explanation, evidence, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, NULL, $5, $8, $9, $10, $11, $12, $13, $13) RETURNING ${FINDING_COLUMNS}`,
      [
        id,
        inv.taxNo,
        inv.period,
        f.type,
        inv.invoiceKey,
        f.severity,
        inv.branchId,
        inv.type,
        inv.code,
        inv.number,
        f.explanation,
        JSON.stringify(f.evidence),
        now,
      ],
    )) as Record<string, unknown>[];
    return toFindingRow(row);
  }

  /** A finding's new state, severity, sentence and evidence. */
  async update(
    m: EntityManager,
    id: string,
    state: FindingState,
    f: Omit<ReceivedFindingContent, 'type'>,
    now: Date,
  ): Promise<FindingRow> {
    const [row] = await returningRows<Record<string, unknown>>(
      m,
      `UPDATE findings SET state = $2, severity = $3, explanation = $4, evidence = $5, updated_at = $6 WHERE id = $1 RETURNING ${FINDING_COLUMNS}`,
      [id, state, f.severity, f.explanation, JSON.stringify(f.evidence), now],
    );
    return toFindingRow(row);
  }
}
