import { Form, Input, Modal } from 'antd';
import { useId } from 'react';
import { useI18n } from '../i18n/i18n';
import { spinnerWhile, useSubmitOnce } from './busy';

interface Props {
  open: boolean;
  title: string;
  initialReason?: string;
  /** The longest reason the service takes (1000 unless said). */
  maxLength?: number;
  onCancel: () => void;
  onConfirm: (reason: string) => Promise<void>;
}

/** Asks for the reason an action is taken (recorded in the history and the audit log), confirmed with OK. */
export function ReasonModal({ open, title, initialReason, maxLength = 1000, onCancel, onConfirm }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const { busy, run } = useSubmitOnce();
  // a page may hold several of these: each form's field ids, and so its label, stay its own
  const formName = `reason-form-${useId().replace(/[^\w-]/g, '')}`;
  const submit = () =>
    run(async () => {
      const { reason } = await form.validateFields();
      await onConfirm(reason.trim());
      form.resetFields();
    });
  return (
    <Modal
      open={open}
      title={title}
      okText={t('ok')}
      cancelText={t('cancel')}
      okButtonProps={{ loading: spinnerWhile(busy) }}
      // mounted afresh on each opening with its initial reason, so nothing can reset what a person types as it opens
      destroyOnHidden
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onCancel}
    >
      <Form form={form} layout="vertical" name={formName} initialValues={{ reason: initialReason ?? '' }}>
        <Form.Item
          name="reason"
          label={t('reason')}
          rules={[{ required: true, whitespace: true, message: t('reasonRequired') }, { max: maxLength }]}
        >
          <Input.TextArea rows={4} maxLength={maxLength} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
