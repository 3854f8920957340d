import { Alert, Descriptions, Modal, Typography } from 'antd';
import { useI18n } from '../i18n/i18n';

export interface IssuedSecret {
  deviceId: string;
  secret: string;
}

/**
 * A device secret, shown once right after it was issued (registration, rotation, a reset's rekey) with a copy button
 * and a warning; closing it drops the secret, the console never sees it again.
 */
export function DeviceSecretModal({ issued, title, onClose }: { issued: IssuedSecret | null; title?: string; onClose: () => void }) {
  const { t } = useI18n();
  return (
    // destroyOnHidden: a closed dialog keeps its last content in the page unless destroyed; the secret must not stay there
    <Modal open={issued !== null} destroyOnHidden title={title ?? t('device.secretTitle')} okText={t('ok')} onOk={onClose} onCancel={onClose} cancelButtonProps={{ style: { display: 'none' } }}>
      <Alert type="warning" showIcon title={t('device.secretOnce')} style={{ marginBottom: 12 }} />
      {issued && (
        <Descriptions column={1} bordered size="small">
          <Descriptions.Item label={t('device.deviceId')}>
            <Typography.Text copyable>{issued.deviceId}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('device.secret')}>
            <Typography.Text copyable code data-testid="device-secret">
              {issued.secret}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Modal>
  );
}
