/**
 * Set-based seeding of one taxpayer-period: N keys, 1% of each discrepancy kind by `i % 100`:
 * 0 ledger only (accepted long ago: MISSING_IN_AUTHORITY), 1 authority only (MISSING_IN_LEDGER),
 * 2 one fen apart (AMOUNT_MISMATCH), 3 voided here, normal there (STATUS_MISMATCH), 4 a second
 * ledger version (DUPLICATE_INVOICE), 5 ledger only but accepted an hour ago (pending, no finding).
 * $1 N, $2 taxNo, $3 period.
 */
export const SEED_LEDGER = `
  INSERT INTO ledger_invoices (invoice_key, tax_no, branch_id, device_id, period, invoice_type, invoice_code, invoice_number, colour, state,
    amount, tax_amount, total_amount, issued_at, received_at, source, updated_at)
  SELECT k, $2, 'sz', 'dev-' || (i % 1000), $3, 'DIGITAL_GENERAL', NULL, k, 'blue', CASE WHEN i % 100 = 3 THEN 'voided' ELSE 'issued' END,
         100.00, 13.00, 113.00, timestamptz '2026-10-10T02:00:00Z', timestamptz '2026-10-10T02:00:00Z', 'ledger', timestamptz '2026-10-10T02:00:00Z'
    FROM (SELECT i, '25442' || lpad(i::text, 15, '0') AS k FROM generate_series(1, $1::int) i) s
   WHERE i % 100 <> 1`;

export const SEED_VERSIONS = `
  INSERT INTO ledger_invoice_versions (invoice_key, content_hash, amount, tax_amount, total_amount, first_event_id, seen_at)
  SELECT invoice_key, 'v1', amount, tax_amount, total_amount, gen_random_uuid(), updated_at FROM ledger_invoices
  UNION ALL
  SELECT invoice_key, 'v2', 200.00, 26.00, 226.00, gen_random_uuid(), updated_at FROM ledger_invoices
   WHERE right(invoice_key, 2)::int % 100 = 4 AND (right(invoice_key, 15)::bigint % 100) = 4`;

export const SEED_DELIVERIES = `
  INSERT INTO sync_deliveries (invoice_key, target, outcome, attempts, first_accepted_at, last_accepted_at, at)
  SELECT invoice_key, 'authority', 'accepted', 1, t, t, t FROM (
    SELECT invoice_key, CASE WHEN right(invoice_key, 15)::bigint % 100 = 5 THEN $1::timestamptz - interval '1 hour'
                             ELSE timestamptz '2026-10-10T03:00:00Z' END AS t
      FROM ledger_invoices) s`;

/** 1000 devices: 1% never cleared, 1% failed, the rest cleared; 抄报 totals from the ledger, 1% of them one invoice off. */
export const SEED_DEVICES = [
  `INSERT INTO device_clear_cards (device_id, period, tax_no, branch_id, status, succeeded_at, at, error_code, error_message, event_id)
   SELECT 'dev-' || d, $2, $1, 'sz', CASE WHEN d % 100 = 1 THEN 'failed' ELSE 'succeeded' END,
          CASE WHEN d % 100 = 1 THEN NULL ELSE timestamptz '2026-11-02T01:00:00Z' END, timestamptz '2026-11-02T01:00:00Z',
          CASE WHEN d % 100 = 1 THEN 'CARD_IO' END, CASE WHEN d % 100 = 1 THEN 'card reader busy' END, gen_random_uuid()
     FROM generate_series(0, 999) d WHERE d % 100 <> 0`,
  `INSERT INTO device_reports (device_id, period, invoice_type, tax_no, branch_id, invoice_count, amount, tax_amount, event_id, reported_at)
   SELECT device_id, $2, invoice_type, $1, 'sz', COUNT(*) + CASE WHEN substr(device_id, 5)::int % 100 = 2 THEN 1 ELSE 0 END,
          SUM(amount), SUM(tax_amount), gen_random_uuid(), now()
     FROM ledger_invoices WHERE tax_no = $1 AND period = $2 AND state <> 'voided' GROUP BY device_id, invoice_type`,
];
