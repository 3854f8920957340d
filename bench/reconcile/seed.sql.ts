/** The seed of the sandbox's generated authority records, which seed.ts generates again for the ledger. */
export const AUTHORITY_SEED = 'reconcile-bench';

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
