import { DatePicker, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { FormModal } from '../components/form-modal';
import { MAINTENANCE_TARGETS, type MaintenanceTexts } from './maintenance-texts';

/** What the form edits; times are the Beijing wall clock the person picked. */
interface Values {
  target: string;
  startsAt: Dayjs;
  endsAt: Dayjs;
  reason: string;
  taxNos?: string[];
  note?: string;
}

/** The body the API takes: `POST /v1/maintenance-windows`, or with `note` a `PATCH` (docs/maintenance.md). */
export interface WindowBody {
  target: string;
  startsAt: string;
  endsAt: string;
  reason: string;
  taxNos: string[] | null;
  note?: string;
}

export interface WindowValues {
  target: string;
  startsAt: string;
  endsAt: string;
  reason: string;
  taxNos: string[] | null;
}

const TIME_FORMAT = 'YYYY-MM-DD HH:mm';

/** A Beijing wall-clock time (whatever the browser's own zone) as the instant it names. */
export function fromBeijing(value: Dayjs): string {
  return new Date(`${value.format('YYYY-MM-DDTHH:mm')}:00+08:00`).toISOString();
}

/** An instant as the Beijing wall clock shows it, for the picker (which works in the browser's zone). */
export function toBeijing(iso: string): Dayjs {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return dayjs(`${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:00`);
}

/**
 * Announce or change a window: target, start and end in Beijing time, reason, taxpayers (none: every taxpayer) and,
 * for a change, a note. The service checks everything again (end after start, not already over).
 */
export function MaintenanceWindowForm(props: {
  open: boolean;
  title: string;
  texts: MaintenanceTexts;
  initial?: WindowValues;
  withNote?: boolean;
  onCancel: () => void;
  onConfirm: (body: WindowBody) => Promise<void>;
}) {
  const m = props.texts;
  const [form] = Form.useForm<Values>();
  const initial = props.initial
    ? {
        ...props.initial,
        startsAt: toBeijing(props.initial.startsAt),
        endsAt: toBeijing(props.initial.endsAt),
        taxNos: props.initial.taxNos ?? [],
      }
    : { target: 'authority', taxNos: [] };
  const submit = (v: Values) => {
    const taxNos = (v.taxNos ?? []).map((n) => n.trim().toUpperCase()).filter(Boolean);
    return props.onConfirm({
      target: v.target,
      startsAt: fromBeijing(v.startsAt),
      endsAt: fromBeijing(v.endsAt),
      reason: v.reason.trim(),
      taxNos: taxNos.length > 0 ? taxNos : null,
      ...(props.withNote && v.note?.trim() ? { note: v.note.trim() } : {}),
    });
  };
  const required = { required: true, message: m('required') };
  return (
    <FormModal<Values>
      open={props.open}
      title={props.title}
      form={form}
      name="maintenance-form"
      initialValues={initial}
      onCancel={props.onCancel}
      onSubmit={submit}
    >
        <Form.Item name="target" label={m('target')} rules={[required]}>
          <Select options={MAINTENANCE_TARGETS.map((x) => ({ value: x, label: m(`target.${x}`) }))} />
        </Form.Item>
        <Form.Item name="startsAt" label={m('startsAt')} rules={[required]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format={TIME_FORMAT} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="endsAt"
          label={m('endsAt')}
          dependencies={['startsAt']}
          rules={[
            required,
            ({ getFieldValue }) => ({
              validator: (_, value?: Dayjs) => {
                const start = getFieldValue('startsAt') as Dayjs | undefined;
                return !value || !start || value.isAfter(start)
                  ? Promise.resolve()
                  : Promise.reject(new Error(m('endAfterStart')));
              },
            }),
          ]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format={TIME_FORMAT} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={m('reason')}
          rules={[{ ...required, whitespace: true }, { max: 500 }]}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
        <Form.Item name="taxNos" label={m('taxNos')} extra={m('taxNosHelp')}>
          <Select
            mode="tags"
            tokenSeparators={[',', ' ', '，']}
            open={false}
            suffixIcon={null}
            placeholder={m('allTaxpayers')}
          />
        </Form.Item>
        {props.withNote && (
          <Form.Item name="note" label={m('note')} rules={[{ max: 500 }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        )}
    </FormModal>
  );
}
