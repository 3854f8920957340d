import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CompareParams } from './compare.model';

/**
 * Comparisons only a per-invoice pull's answers (authority_checks) support, beside InvoiceCompareRepository's,
 * each one set-based INSERT … SELECT into run_discrepancies. Runs after `InvoiceCompareRepository.prepare`
 * (it reads `cmp_conflicting`).
 */
@Injectable()
export class CheckedCompareRepository {
  /**
   * 查验 03: the authority holds the invoice with other content (type, date or amount) and gives no numbers.
   * An AMOUNT_MISMATCH whose facts say so (`checkOutcome` `differs`, the channel, its answer and when it was
   * given, `authority` null: the authority's numbers are unknown). A key with conflicting ledger versions is
   * reported as a duplicate instead (one of its versions cannot match), as after a found record.
   */
  async contentDiffers(m: EntityManager, p: CompareParams): Promise<void> {
    await m.query(
      `INSERT INTO run_discrepancies (run_id, type, subject, invoice_key, facts)
       SELECT $1, 'AMOUNT_MISMATCH', l.invoice_key, l.invoice_key,
              jsonb_build_object('invoiceType', l.invoice_type, 'code', l.invoice_code, 'number', l.invoice_number, 'branchId', l.branch_id,
                'deviceId', l.device_id, 'issuedAt', l.issued_at, 'ledgerState', l.state,
                'ledger', jsonb_build_object('amount', l.amount::text, 'taxAmount', l.tax_amount::text, 'totalAmount', l.total_amount::text),
                'authority', NULL, 'coverage', 'per-invoice', 'channel', ck.channel, 'observedAt', ck.observed_at,
                'checkOutcome', ck.outcome, 'checkDetail', ck.detail, 'checkedAt', ck.observed_at, 'checkReused', ck.reused_from_run IS NOT NULL)
         FROM ledger_invoices l
         JOIN authority_checks ck ON ck.run_id = $1 AND ck.invoice_key = l.invoice_key AND ck.outcome = 'differs'
        WHERE l.tax_no = $2 AND l.period = $3 AND l.source = 'ledger'
          AND NOT EXISTS (SELECT 1 FROM cmp_conflicting c WHERE c.invoice_key = l.invoice_key)
       ON CONFLICT DO NOTHING`,
      [p.runId, p.taxNo, p.period],
    );
  }
}
