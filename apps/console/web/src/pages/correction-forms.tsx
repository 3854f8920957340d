import { Checkbox, Form, Input, Select } from 'antd';
import type { Rule } from 'antd/es/form';
import { FormModal } from '../components/form-modal';
import type { correctionTexts, CorrectionText } from './corrections-texts';

type Texts = ReturnType<typeof correctionTexts>;

/** The body of `POST /v1/corrections` (docs/corrections.md, "API"). */
export interface ProposalBody {
  findingId: string;
  reasonCode: string;
  amount: string;
  taxAmount: string;
  reissue: boolean;
  reissueInvoiceKey?: string;
  note: string;
}

/** The body of `POST /v1/corrections/{id}/reissue`. */
export interface ReissueBody {
  invoiceKey: string;
  note?: string;
}

// the API's own rules (reconcile's corrections.schemas.ts), so that the form refuses what the service would
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POSITIVE_MONEY = /^\d{1,15}(\.\d{1,2})?$/;
const RED_REASON_CODES = ['01', '02', '03', '04'] as const;
const PROPOSAL_FIELDS = ['findingId', 'reasonCode', 'amount', 'taxAmount', 'reissue', 'reissueInvoiceKey', 'note'];

const trimmed = (v: string | undefined) => v?.trim() ?? '';

function rulesOf(c: Texts) {
  const required = { required: true, whitespace: true, message: c('required') };
  const max = (n: number): Rule => ({ max: n, message: c('tooLong', { n: String(n) }), transform: trimmed });
  return { required, max };
}

/**
 * Proposes the red-letter form for a mismatch finding, as the API takes it: the finding, the reason (01-04), the amount
 * and tax to reverse (positive; the service refuses more than is left: CORRECTION_EXCEEDS_REMAINING), whether the invoice
 * is re-issued corrected (and, if it already is, which invoice), and why. A pending proposal of the finding is replaced.
 */
export function ProposeCorrectionForm(props: {
  open: boolean;
  texts: Texts;
  findingId?: string;
  onCancel: () => void;
  onConfirm: (body: ProposalBody) => Promise<void>;
}) {
  const c = props.texts;
  const [form] = Form.useForm<ProposalBody>();
  const reissue = Form.useWatch('reissue', form);
  const { required, max } = rulesOf(c);
  const money = (other: 'amount' | 'taxAmount'): Rule[] => [
    required,
    { pattern: POSITIVE_MONEY, message: c('rule.money'), transform: trimmed },
    ({ getFieldValue }) => ({
      validator: (_, value?: string) =>
        Number(trimmed(value)) > 0 || Number(trimmed(getFieldValue(other) as string)) > 0
          ? Promise.resolve()
          : Promise.reject(new Error(c('rule.nothing'))),
    }),
  ];
  const submit = (v: ProposalBody) =>
    props.onConfirm({
      findingId: v.findingId.trim(),
      reasonCode: v.reasonCode,
      amount: v.amount.trim(),
      taxAmount: v.taxAmount.trim(),
      reissue: Boolean(v.reissue),
      ...(v.reissue && trimmed(v.reissueInvoiceKey) ? { reissueInvoiceKey: trimmed(v.reissueInvoiceKey) } : {}),
      note: v.note.trim(),
    });
  return (
    <FormModal<ProposalBody>
      open={props.open}
      title={c('proposeTitle')}
      form={form}
      name="propose-form"
      fields={PROPOSAL_FIELDS}
      initialValues={{ findingId: props.findingId, reasonCode: '01', reissue: false }}
      onCancel={props.onCancel}
      onSubmit={submit}
    >
      <Form.Item
        name="findingId"
        label={c('findingId')}
        extra={c('findingIdHelp')}
        rules={[required, { pattern: UUID, message: c('rule.uuid'), transform: trimmed }]}
      >
        <Input />
      </Form.Item>
      <Form.Item name="reasonCode" label={c('reason')} rules={[{ required: true, message: c('required') }]}>
        <Select options={RED_REASON_CODES.map((code) => ({ value: code, label: c(`reason.${code}` as CorrectionText) }))} />
      </Form.Item>
      <Form.Item name="amount" label={c('reversedAmount')} dependencies={['taxAmount']} rules={money('taxAmount')}>
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item name="taxAmount" label={c('reversedTax')} dependencies={['amount']} rules={money('amount')}>
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item name="reissue" valuePropName="checked">
        <Checkbox>{c('reissueAsked')}</Checkbox>
      </Form.Item>
      {reissue && (
        <Form.Item name="reissueInvoiceKey" label={c('reissueKeyLater')} rules={[max(64)]}>
          <Input maxLength={64} />
        </Form.Item>
      )}
      <Form.Item name="note" label={c('proposalNote')} rules={[required, max(1000)]}>
        <Input.TextArea rows={3} maxLength={1000} />
      </Form.Item>
    </FormModal>
  );
}

/**
 * Names the invoice that re-issues a re-issuing correction's original, corrected: an invoice of our ledger, of the same
 * taxpayer, blue and in force (the service refuses others: CORRECTION_REISSUE_INVALID, shown on the field).
 */
export function ReissueForm(props: {
  open: boolean;
  texts: Texts;
  current?: string | null;
  onCancel: () => void;
  onConfirm: (body: ReissueBody) => Promise<void>;
}) {
  const c = props.texts;
  const [form] = Form.useForm<ReissueBody>();
  const { required, max } = rulesOf(c);
  return (
    <FormModal<ReissueBody>
      open={props.open}
      title={c('reissueTitle')}
      form={form}
      name="reissue-form"
      fields={['invoiceKey', 'note']}
      initialValues={{ invoiceKey: props.current ?? undefined }}
      onCancel={props.onCancel}
      onSubmit={(v) =>
        props.onConfirm({ invoiceKey: v.invoiceKey.trim(), ...(trimmed(v.note) ? { note: trimmed(v.note) } : {}) })
      }
    >
      <Form.Item name="invoiceKey" label={c('reissueKey')} rules={[required, max(64)]}>
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="note" label={c('reissueNote')} rules={[max(1000)]}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
    </FormModal>
  );
}

/** Approval asks only for an optional note, confirmed with OK. */
export function ApproveModal(props: {
  open: boolean;
  title: string;
  noteLabel: string;
  onCancel: () => void;
  onConfirm: (note: string | undefined) => Promise<void>;
}) {
  const [form] = Form.useForm<{ note?: string }>();
  return (
    <FormModal<{ note?: string }>
      open={props.open}
      title={props.title}
      form={form}
      name="approve-form"
      onCancel={props.onCancel}
      onSubmit={({ note }) => props.onConfirm(note?.trim() || undefined)}
    >
      <Form.Item name="note" label={props.noteLabel} rules={[{ max: 1000 }]}>
        <Input.TextArea rows={3} maxLength={1000} />
      </Form.Item>
    </FormModal>
  );
}
