import { FindingSeverity, FindingState, FindingType } from '@lib/contracts';
import { FindingRow } from './finding.model';

/** The columns every finding read selects, aliased to the row's fields. */
export const FINDING_COLUMNS = `id, tax_no, period, type, subject, state, severity, branch_id, device_id, invoice_key, invoice_type,
  invoice_code, invoice_number, explanation, evidence, remediation_attempts, last_remediated_at, created_at, updated_at`;

export function toFindingRow(r: Record<string, unknown>): FindingRow {
  return {
    id: String(r.id),
    taxNo: String(r.tax_no),
    period: String(r.period),
    type: r.type as FindingType,
    subject: String(r.subject),
    state: r.state as FindingState,
    severity: r.severity as FindingSeverity,
    branchId: (r.branch_id as string | null) ?? null,
    deviceId: (r.device_id as string | null) ?? null,
    invoiceKey: (r.invoice_key as string | null) ?? null,
    invoiceType: (r.invoice_type as string | null) ?? null,
    invoiceCode: (r.invoice_code as string | null) ?? null,
    invoiceNumber: (r.invoice_number as string | null) ?? null,
    explanation: String(r.explanation),
    evidence: (r.evidence as Record<string, unknown>) ?? {},
    remediationAttempts: Number(r.remediation_attempts ?? 0),
    lastRemediatedAt: r.last_remediated_at ? new Date(r.last_remediated_at as string) : null,
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
  };
}
