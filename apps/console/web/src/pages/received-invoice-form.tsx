import { DatePicker, Form, Input, Select } from 'antd';
import type { Rule } from 'antd/es/form';
import type { Dayjs } from 'dayjs';
import { INVOICE_TYPES, invoiceTypeInfo, isDigital, tryParseMoney, type InvoiceType } from '@lib/domain';
import { FormModal } from '../components/form-modal';
import { invoiceTypeName } from '../domain/labels';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { fromBeijing } from './maintenance-window-form';
import type { ReceivedText, ReceivedTexts } from './received-texts';

/** The body of `POST /v1/received-invoices` (docs/received-invoices.md, "API"). */
export interface ReceivedInvoiceBody {
  branchId: string;
  type: string;
  code: string | null;
  number: string;
  issuedAt: string;
  sellerTaxNo: string;
  sellerName: string;
  buyerTaxNo: string;
  amount: string;
  taxAmount: string;
  totalAmount: string;
  checkCode: string | null;
}

type Values = Omit<ReceivedInvoiceBody, 'issuedAt' | 'code' | 'checkCode'> & {
  issuedAt: Dayjs;
  code?: string;
  checkCode?: string;
};

// the API's own patterns (reconcile's received.schemas.ts), so that the form refuses what the service would
const USCC = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const MONEY = /^-?\d{1,15}(\.\d{1,2})?$/;
const CODE = /^(\d{10}|\d{12})$/;
const CHECK_CODE = /^\d{6,20}$/;

/** What the service's rules beyond its schema say, in the page's words (reconcile's rulesOf). */
const RULE_TEXTS: Record<string, ReceivedText> = {
  INVALID_INVOICE_KEY: 'rule.number',
  CHECK_CODE_REQUIRED: 'rule.checkCodeRequired',
  SELLER_IS_BUYER: 'rule.sellerIsBuyer',
  TOTAL_MISMATCH: 'rule.total',
};

const FIELDS = [
  'branchId',
  'type',
  'code',
  'number',
  'issuedAt',
  'sellerTaxNo',
  'sellerName',
  'buyerTaxNo',
  'amount',
  'taxAmount',
  'totalAmount',
  'checkCode',
];

const trimmed = (v: string | undefined) => v?.trim() ?? '';
const digital = (type: unknown) => typeof type === 'string' && isDigital(type as InvoiceType);
const needsCheckCode = (type: unknown) =>
  typeof type === 'string' && invoiceTypeInfo(type as InvoiceType)?.verificationAmount === 'CHECK_CODE_LAST6';

/**
 * Registers one invoice a supplier issued to us, for one of the person's branches: the fields 查验 needs, checked here
 * as the service checks them (key shape by type, the check code of a general invoice, another taxpayer as seller,
 * amount + tax = total). What the service still refuses is shown on its field with its code.
 */
export function ReceivedInvoiceForm(props: {
  open: boolean;
  texts: ReceivedTexts;
  buyerTaxNo?: string;
  onCancel: () => void;
  onConfirm: (body: ReceivedInvoiceBody) => Promise<void>;
}) {
  const { lang } = useI18n();
  const me = useSession();
  const r = props.texts;
  const [form] = Form.useForm<Values>();
  const type = Form.useWatch('type', form);
  const branches = me.branches === 'all' ? null : me.branches;
  const submit = (v: Values) =>
    props.onConfirm({
      branchId: v.branchId.trim(),
      type: v.type,
      code: digital(v.type) ? null : trimmed(v.code) || null,
      number: v.number.trim(),
      issuedAt: fromBeijing(v.issuedAt),
      sellerTaxNo: v.sellerTaxNo.trim().toUpperCase(),
      sellerName: v.sellerName.trim(),
      buyerTaxNo: v.buyerTaxNo.trim().toUpperCase(),
      amount: v.amount.trim(),
      taxAmount: v.taxAmount.trim(),
      totalAmount: v.totalAmount.trim(),
      checkCode: trimmed(v.checkCode) || null,
    });
  const required = { required: true, whitespace: true, message: r('required') };
  const pattern = (re: RegExp, key: ReceivedText): Rule => ({ pattern: re, message: r(key), transform: trimmed });
  const money = [required, pattern(MONEY, 'rule.money')];
  return (
    <FormModal<Values>
      open={props.open}
      title={r('registerTitle')}
      form={form}
      name="received-form"
      fields={FIELDS}
      words={(code) => (RULE_TEXTS[code] ? r(RULE_TEXTS[code]) : undefined)}
      initialValues={{ branchId: branches?.length === 1 ? branches[0] : undefined, buyerTaxNo: props.buyerTaxNo }}
      width={640}
      onCancel={props.onCancel}
      onSubmit={submit}
    >
        <Form.Item name="branchId" label={r('branch')} rules={[required, { max: 64, message: r('rule.branch') }]}>
          {branches ? <Select options={branches.map((b) => ({ value: b, label: b }))} /> : <Input maxLength={64} />}
        </Form.Item>
        <Form.Item name="type" label={r('type')} rules={[{ required: true, message: r('required') }]}>
          <Select options={INVOICE_TYPES.map((x) => ({ value: x, label: invoiceTypeName(x, lang) }))} />
        </Form.Item>
        {!digital(type) && (
          <Form.Item name="code" label={r('code')} rules={[required, pattern(CODE, 'rule.code')]}>
            <Input maxLength={12} inputMode="numeric" />
          </Form.Item>
        )}
        <Form.Item
          name="number"
          label={r('number')}
          dependencies={['type']}
          rules={[required, pattern(digital(type) ? /^\d{20}$/ : /^\d{8}$/, digital(type) ? 'rule.digitalNumber' : 'rule.number')]}
        >
          <Input maxLength={20} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="issuedAt" label={r('issuedAt')} rules={[{ required: true, message: r('required') }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="sellerName" label={r('sellerName')} rules={[required, { max: 200, message: r('rule.sellerName') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="sellerTaxNo"
          label={r('sellerTaxNo')}
          dependencies={['buyerTaxNo']}
          rules={[
            required,
            pattern(USCC, 'rule.uscc'),
            ({ getFieldValue }) => ({
              validator: (_, value?: string) =>
                !value || trimmed(value).toUpperCase() !== trimmed(getFieldValue('buyerTaxNo') as string).toUpperCase()
                  ? Promise.resolve()
                  : Promise.reject(new Error(r('rule.sellerIsBuyer'))),
            }),
          ]}
          normalize={(v: string) => v.toUpperCase()}
        >
          <Input maxLength={18} />
        </Form.Item>
        <Form.Item
          name="buyerTaxNo"
          label={r('buyerTaxNo')}
          rules={[required, pattern(USCC, 'rule.uscc')]}
          normalize={(v: string) => v.toUpperCase()}
        >
          <Input maxLength={18} />
        </Form.Item>
        <Form.Item name="amount" label={r('amount')} rules={money}>
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item name="taxAmount" label={r('taxAmount')} rules={money}>
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item
          name="totalAmount"
          label={r('totalAmount')}
          dependencies={['amount', 'taxAmount']}
          rules={[
            ...money,
            ({ getFieldValue }) => ({
              validator: (_, value?: string) => {
                const [a, x, total] = [getFieldValue('amount') as string, getFieldValue('taxAmount') as string, value].map((s) =>
                  tryParseMoney(trimmed(s)),
                );
                return !a.ok || !x.ok || !total.ok || a.fen + x.fen === total.fen
                  ? Promise.resolve()
                  : Promise.reject(new Error(r('rule.total')));
              },
            }),
          ]}
        >
          <Input inputMode="decimal" />
        </Form.Item>
        <Form.Item
          name="checkCode"
          label={r('checkCode')}
          extra={r('checkCodeHelp')}
          dependencies={['type']}
          rules={[
            { required: needsCheckCode(type), whitespace: true, message: r('rule.checkCodeRequired') },
            pattern(CHECK_CODE, 'rule.checkCode'),
          ]}
        >
          <Input maxLength={20} inputMode="numeric" />
        </Form.Item>
    </FormModal>
  );
}
