import { z } from 'zod';
import { idSchema, invoiceTypeSchema, periodSchema, timestampSchema } from '../schemas/primitives.schema';

export const FINDING_TYPES = [
  'MISSING_IN_AUTHORITY',
  'MISSING_IN_LEDGER',
  'AMOUNT_MISMATCH',
  'STATUS_MISMATCH',
  'DUPLICATE_INVOICE',
  'CLEAR_CARD_OVERDUE',
  'CLEAR_CARD_FAILED',
  'DEVICE_LOCK_IMMINENT',
  'OFFLINE_LIMIT_NEAR',
  'REPORT_TOTALS_MISMATCH',
  /** No 抄报 for the period in filing, a few days before its deadline (and after it). */
  'REPORT_MISSING',
  /** No successful 清卡 for the period in filing a few days before its deadline (CLEAR_CARD_OVERDUE after it). */
  'CLEAR_CARD_MISSING',
  /** A device that sent nothing for the period in filing, or whose last reading is old enough that it may lock. */
  'DEVICE_SILENT',
  /** A scope (taxpayer and period) whose runs keep ending incomplete: taxpayer level, no invoice, device or branch. */
  'RECONCILIATION_INCOMPLETE',
  /**
   * Our invoice and the authority's record differ in what it says besides money and status: issue date, buyer tax
   * number, buyer name (compared without full-width, spacing and case differences), invoice type or line count.
   */
  'CONTENT_MISMATCH',
  /**
   * An invoice we RECEIVED from a supplier (进项) that 查验 says is not genuine for us: no such invoice at the authority, its
   * data do not match, or it is not addressed to us. Routed to the branch that received it (docs/received-invoices.md).
   */
  'RECEIVED_INVOICE_INVALID',
  /** A received invoice the authority shows voided (作废) or red-reversed (红冲) by its supplier: its input tax cannot be deducted. */
  'RECEIVED_INVOICE_VOIDED',
] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

/** Finding types about a whole scope (taxpayer and period) rather than an invoice or a device. */
export const SCOPE_FINDING_TYPES: readonly FindingType[] = ['RECONCILIATION_INCOMPLETE'];

export const FINDING_STATES = ['open', 'remediating', 'resolved', 'escalated', 'ignored'] as const;
export type FindingState = (typeof FINDING_STATES)[number];

export const FINDING_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const FINDING_EVENT_TYPES = { changed: 'reconcile.finding-changed' } as const;

export const findingInvoiceSchema = z.object({
  type: invoiceTypeSchema,
  code: z.string().max(20).nullable(),
  number: z.string().max(32),
});

/**
 * `reconcile.findings.v1`: a finding was opened or changed state. It concerns an invoice, a device, or both; a scope
 * finding (SCOPE_FINDING_TYPES) concerns the taxpayer's period as a whole, and carries neither (nor a branch).
 */
export const findingChangedSchema = z
  .object({
    findingId: idSchema,
    type: z.enum(FINDING_TYPES),
    state: z.enum(FINDING_STATES),
    /** Null when the finding was just opened. */
    previousState: z.enum(FINDING_STATES).nullable(),
    severity: z.enum(FINDING_SEVERITIES),
    taxNo: z.string().min(1).max(32),
    branchId: idSchema.nullable(),
    period: periodSchema,
    invoice: findingInvoiceSchema.nullable().default(null),
    deviceId: idSchema.nullable().default(null),
    /** One sentence: why, and what was done. */
    explanation: z.string().min(1).max(1000),
    evidence: z.record(z.string(), z.unknown()).default({}),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .superRefine((finding, ctx) => {
    if (!finding.invoice && !finding.deviceId && !SCOPE_FINDING_TYPES.includes(finding.type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['invoice'],
        message: 'a finding concerns an invoice or a device',
        params: { code: 'REQUIRED' },
      });
    }
    if (
      SCOPE_FINDING_TYPES.includes(finding.type) &&
      (finding.invoice || finding.deviceId || finding.branchId)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: 'a finding about a whole taxpayer period names no invoice, device or branch',
        params: { code: 'INVALID_VALUE' },
      });
    }
    if (finding.previousState === finding.state) {
      ctx.addIssue({
        code: 'custom',
        path: ['previousState'],
        message: 'a transition changes the state',
        params: { code: 'INVALID_VALUE' },
      });
    }
  });

export type FindingInvoice = z.output<typeof findingInvoiceSchema>;
export type FindingChanged = z.output<typeof findingChangedSchema>;
