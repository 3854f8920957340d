import { isInvoiceType, isSpecial } from '@lib/domain';
import { isRecord } from './explain-format';

/**
 * What CONTENT_MISMATCH compares besides money and status, in the order its sentence names them. Buyer names are
 * compared by @lib/domain buyerNameKey (full-width, spacing and Latin case ignored), tax numbers by buyerTaxNoKey.
 */
export const CONTENT_FIELDS = ['invoiceType', 'issueDate', 'buyerTaxNo', 'buyerName', 'lineCount'] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

/**
 * One differing field of CONTENT_MISMATCH's evidence (`fields`), each side's value as that side holds it: the issue
 * date as YYYY-MM-DD (Asia/Shanghai), the invoice type as its code, the line count as a number, null when that side
 * has none. `carried`: the latest run's channel could not compare this field (a list carries no lines), so it is the
 * difference an earlier run saw, kept until a run that can compare it sees the field agree.
 */
export interface ContentDifference {
  field: ContentField;
  ours: string | number | null;
  authority: string | number | null;
  carried?: boolean;
}

const isField = (v: unknown): v is ContentField => (CONTENT_FIELDS as readonly unknown[]).includes(v);
const value = (v: unknown): string | number | null =>
  typeof v === 'string' || typeof v === 'number' ? v : null;

/** The differing fields a finding's evidence lists, known fields only, in CONTENT_FIELDS order. */
export function contentDifferences(evidence: Record<string, unknown>): ContentDifference[] {
  const fields = Array.isArray(evidence.fields) ? evidence.fields.filter(isRecord) : [];
  return fields
    .filter((f) => isField(f.field))
    .map((f) => ({
      field: f.field as ContentField,
      ours: value(f.ours),
      authority: value(f.authority),
      ...(f.carried === true ? { carried: true } : {}),
    }))
    .sort((a, b) => CONTENT_FIELDS.indexOf(a.field) - CONTENT_FIELDS.indexOf(b.field));
}

/**
 * The buyer tax number differs on a special invoice (ours or the authority's type): the buyer cannot deduct the
 * input VAT with it, which makes the finding critical.
 */
export function buyerCannotDeduct(evidence: Record<string, unknown>): boolean {
  const diffs = contentDifferences(evidence);
  if (!diffs.some((d) => d.field === 'buyerTaxNo')) return false;
  const theirType = diffs.find((d) => d.field === 'invoiceType')?.authority;
  return [evidence.invoiceType, theirType].some((t) => isInvoiceType(t) && isSpecial(t));
}
