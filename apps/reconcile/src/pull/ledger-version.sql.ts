/**
 * SQL for the version of one ledger invoice (row alias `l`) that a per-invoice answer was asked for: a digest
 * of what the authority's answer depends on, i.e. the row's content and state (a void, a red reversal, even a
 * partial one), every content version of its key (a different second issue), its red invoices, and the last
 * acceptance of it and of its reds by any target (a re-upload, a void or a red invoice that reached the
 * authority since). An earlier answer is reused only while this is unchanged (AuthorityChecksRepository.reusable).
 */
export const LEDGER_VERSION_SQL = `md5(concat_ws('|', l.invoice_type, l.state, l.amount::text, l.tax_amount::text, l.total_amount::text,
    l.red_reversed_amount::text, extract(epoch FROM l.issued_at)::text, extract(epoch FROM l.updated_at)::text,
    (SELECT string_agg(v.content_hash, ',' ORDER BY v.content_hash) FROM ledger_invoice_versions v WHERE v.invoice_key = l.invoice_key),
    (SELECT extract(epoch FROM MAX(d.last_accepted_at))::text FROM sync_deliveries d WHERE d.invoice_key = l.invoice_key),
    (SELECT COUNT(*)::text || ':' || COALESCE(extract(epoch FROM MAX(r.updated_at))::text, '') || ':' || COALESCE(extract(epoch FROM MAX(d.last_accepted_at))::text, '')
       FROM ledger_invoices r LEFT JOIN sync_deliveries d ON d.invoice_key = r.invoice_key WHERE r.original_key = l.invoice_key)))`;
