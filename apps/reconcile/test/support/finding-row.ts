import { FindingRow } from '../../src/findings/finding.model';

/**
 * A finding as the rules see it, for unit specs: an invoice finding of taxpayer `T`, id `f-1`, remediating, nothing
 * remediated yet; `over` sets the rest.
 */
export function findingRow(subject: string, at: Date, over: Partial<FindingRow> = {}): FindingRow {
  return {
    id: 'f-1',
    taxNo: 'T',
    period: '2026-10',
    type: 'AMOUNT_MISMATCH',
    subject,
    state: 'remediating',
    severity: 'critical',
    branchId: null,
    deviceId: null,
    invoiceKey: subject,
    invoiceType: null,
    invoiceCode: null,
    invoiceNumber: subject,
    explanation: 'before',
    evidence: {},
    remediationAttempts: 0,
    lastRemediatedAt: null,
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}
