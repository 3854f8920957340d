import { ContentField, CONTENT_FIELDS } from '@lib/contracts';
import { INVOICE_TYPES, isSpecial } from '@lib/domain';

/**
 * The SQL of CONTENT_MISMATCH's fields (libs/contracts content-fields.ts), for any pair of aliases: `ours(col)` and
 * `theirs(col)` name the ledger's and the authority's column (ledger_invoices and authority_staged share the names).
 * Buyers are compared by the migration's IMMUTABLE buyer_name_key and buyer_tax_no_key (the rules of @lib/domain
 * buyerNameKey and buyerTaxNoKey); the cheap raw comparison comes first so that equal values are never normalised.
 */
type Col = (column: string) => string;

interface FieldSql {
  field: ContentField;
  /** Both sides carry the field (a list row has no lines; older rows no buyer or line count): otherwise never a difference. */
  comparable: (ours: Col, theirs: Col) => string;
  differs: (ours: Col, theirs: Col) => string;
  /** Each side's value in the evidence. */
  value: (side: Col) => string;
}

const SPECIAL = `(${INVOICE_TYPES.filter(isSpecial)
  .map((t) => `'${t}'`)
  .join(', ')})`;
const shanghaiDay = (side: Col) => `(${side('issued_at')} AT TIME ZONE 'Asia/Shanghai')::date`;
const buyerKnown = (o: Col, t: Col) => `(${o('buyer_name')} IS NOT NULL AND ${t('buyer_name')} IS NOT NULL)`;

const FIELDS: Record<ContentField, FieldSql> = {
  invoiceType: {
    field: 'invoiceType',
    comparable: () => 'true',
    differs: (o, t) => `${o('invoice_type')} <> ${t('invoice_type')}`,
    value: (s) => s('invoice_type'),
  },
  issueDate: {
    field: 'issueDate',
    comparable: () => 'true',
    differs: (o, t) => `${shanghaiDay(o)} <> ${shanghaiDay(t)}`,
    value: (s) => `to_char(${shanghaiDay(s)}, 'YYYY-MM-DD')`,
  },
  buyerTaxNo: {
    field: 'buyerTaxNo',
    comparable: buyerKnown,
    // a missing buyer tax number is a difference only on a special invoice (a general one may have none)
    differs: (o, t) =>
      `${buyerKnown(o, t)} AND ${o('buyer_tax_no')} IS DISTINCT FROM ${t('buyer_tax_no')}
       AND buyer_tax_no_key(${o('buyer_tax_no')}) IS DISTINCT FROM buyer_tax_no_key(${t('buyer_tax_no')})
       AND ((buyer_tax_no_key(${o('buyer_tax_no')}) IS NOT NULL AND buyer_tax_no_key(${t('buyer_tax_no')}) IS NOT NULL)
            OR ${o('invoice_type')} IN ${SPECIAL} OR ${t('invoice_type')} IN ${SPECIAL})`,
    value: (s) => s('buyer_tax_no'),
  },
  buyerName: {
    field: 'buyerName',
    comparable: buyerKnown,
    differs: (o, t) =>
      `${o('buyer_name')} <> ${t('buyer_name')} AND buyer_name_key(${o('buyer_name')}) <> buyer_name_key(${t('buyer_name')})`,
    value: (s) => s('buyer_name'),
  },
  lineCount: {
    field: 'lineCount',
    comparable: (o, t) => `(${o('line_count')} IS NOT NULL AND ${t('line_count')} IS NOT NULL)`,
    differs: (o, t) => `${o('line_count')} <> ${t('line_count')}`,
    value: (s) => s('line_count'),
  },
};

const ordered = CONTENT_FIELDS.map((f) => FIELDS[f]);

/** True when any field differs (NULL-safe: a field a side does not carry is no difference). */
export function contentDiffersSql(ours: Col, theirs: Col): string {
  return `(${ordered.map((f) => `COALESCE(${f.differs(ours, theirs)}, false)`).join(' OR ')})`;
}

/**
 * The differing fields as rows (ord, jsonb {field, ours, authority}), for a LATERAL over one pair: the fields this run
 * sees differ, plus those of the subject's active finding (`finding`, its evidence) this run's channel cannot compare,
 * marked `carried` (kept until a run that can compare them sees them agree).
 */
export function contentFieldRowsSql(ours: Col, theirs: Col, findingEvidence: string): string {
  const seen = ordered
    .map(
      (f, i) =>
        `(${i}, CASE WHEN COALESCE(${f.differs(ours, theirs)}, false)
               THEN jsonb_build_object('field', '${f.field}', 'ours', ${f.value(ours)}, 'authority', ${f.value(theirs)}) END)`,
    )
    .join(',\n             ');
  const comparable = ordered.map((f) => `WHEN '${f.field}' THEN ${f.comparable(ours, theirs)}`).join(' ');
  return `
    SELECT v.ord, v.f FROM (VALUES ${seen}) AS v(ord, f) WHERE v.f IS NOT NULL
    UNION ALL
    SELECT array_position(ARRAY[${CONTENT_FIELDS.map((f) => `'${f}'`).join(', ')}], e->>'field') - 1, (e - 'carried') || '{"carried": true}'
      FROM jsonb_array_elements(COALESCE(${findingEvidence}->'fields', '[]'::jsonb)) e
     WHERE NOT COALESCE(CASE e->>'field' ${comparable} ELSE true END, false)`;
}
