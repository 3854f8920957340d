import { Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';

interface Props {
  open: boolean;
  title: string;
  initialReason?: string;
  onCancel: () => void;
  onConfirm: (reason: string) => Promise<void>;
}

/** Asks for the reason an action is taken (recorded in the history and the audit log), confirmed with OK. */
export function ReasonModal({ open, title, initialReason, onCancel, onConfirm }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) form.setFieldsValue({ reason: initialReason ?? '' });
  }, [open, initialReason, form]);
  const submit = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      await onConfirm(reason.trim());
      form.resetFields();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      okText={t('ok')}
      cancelText={t('cancel')}
      confirmLoading={busy}
      forceRender
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onCancel}
    >
      <Form form={form} layout="vertical" name="reason-form" initialValues={{ reason: initialReason ?? '' }}>
        <Form.Item
          name="reason"
          label={t('reason')}
          rules={[{ required: true, whitespace: true, message: t('reasonRequired') }, { max: 1000 }]}
        >
          <Input.TextArea rows={4} maxLength={1000} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
