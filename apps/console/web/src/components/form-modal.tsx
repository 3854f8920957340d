import { Form, Modal, type FormInstance } from 'antd';
import { useId, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { spinnerWhile, useSubmitOnce } from './busy';
import { showFieldErrors } from './field-errors';
import { useReportError } from './notify';

/**
 * A form in a modal, confirmed with OK: the fields are checked first, then `onSubmit` runs with the button busy (a
 * second OK meanwhile does nothing). A refusal is reported with its code and its details are put on the `fields` they
 * name (`words` gives a detail code the page's own words). Mounted afresh on each opening, so nothing typed before
 * lingers.
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
  const { busy, run } = useSubmitOnce();
  const formName = `${props.name}-${useId().replace(/[^\w-]/g, '')}`;
  const submit = () =>
    run(async () => {
      const values = await props.form.validateFields();
      try {
        await props.onSubmit(values);
      } catch (e) {
        showFieldErrors(props.form, props.fields ?? [], e, props.words);
        report(e);
      }
    });
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={t('ok')}
      cancelText={t('cancel')}
      okButtonProps={{ loading: spinnerWhile(busy) }}
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
