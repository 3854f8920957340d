import { Form, Modal, type FormInstance } from 'antd';
import { useId, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { showFieldErrors } from './field-errors';
import { useReportError } from './notify';

/**
 * A form in a modal, confirmed with OK: the fields are checked first, then `onSubmit` runs with the button busy. A
 * refusal is reported with its code and its details are put on the `fields` they name (`words` gives a detail code
 * the page's own words). Mounted afresh on each opening, so nothing typed before lingers.
 */
export function FormModal<V extends object>(props: {
  open: boolean;
  title: string;
  form: FormInstance<V>;
  /** Prefix of the form's name, so that each form's field ids (and so its labels) stay its own. */
  name: string;
  fields?: readonly string[];
  words?: (code: string) => string | undefined;
  initialValues?: Partial<V>;
  width?: number;
  onCancel: () => void;
  onSubmit: (values: V) => Promise<void>;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const report = useReportError();
  const [busy, setBusy] = useState(false);
  const formName = `${props.name}-${useId().replace(/[^\w-]/g, '')}`;
  const submit = async () => {
    const values = await props.form.validateFields();
    setBusy(true);
    try {
      await props.onSubmit(values);
    } catch (e) {
      showFieldErrors(props.form, props.fields ?? [], e, props.words);
      report(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={t('ok')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      destroyOnHidden
      width={props.width}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={props.onCancel}
    >
      <Form form={props.form} layout="vertical" name={formName} initialValues={props.initialValues}>
        {props.children}
      </Form>
    </Modal>
  );
}
