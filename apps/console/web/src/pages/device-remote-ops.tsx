import { Alert, App, Button, Card, Descriptions, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { Row } from '../api/types';
import { useReportError } from '../components/notify';
import { ReasonModal } from '../components/reason-modal';
import { useAsync } from '../components/use-async';
import { formatTime, text } from '../domain/format';
import { useI18n } from '../i18n/i18n';
import { REASON_MAX } from './device-lifecycle';
import { loadRemoteOps, remoteOpAdvice, RemoteOpTag } from './device-ops';

/** States from which sync runs a device's remote operations again when asked (not once cleared, not while off). */
const RETRIABLE = new Set(['pending', 'reported', 'failed']);

/**
 * A hosted device's remote 抄报 / 清卡 in the period being filed (sync's): its state, attempts, last error with the
 * advice for its code, and, for people who may manage devices, the device's switch (with a reason) and Retry.
 */
export function RemoteOpsPanel({ device, canManage }: { device: Row; canManage: boolean }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const deviceId = String(device.deviceId);
  const [asking, setAsking] = useState<boolean | null>(null);
  const [retrying, setRetrying] = useState(false);
  const result = useAsync(
    async () => {
      const { period, byDevice } = await loadRemoteOps([String(device.taxNo)]);
      return { period, op: byDevice.get(deviceId) ?? null };
    },
    `remote-ops:${deviceId}`,
    true,
  );
  const op = result.data?.op ?? null;
  const period = result.data?.period ?? '—';
  // What this page last set (sync answers the setting); else what sync lists: a device whose operations are off (itself
  // or its taxpayer) is `disabled` until its period is cleared, and without a job yet it is on.
  const [setting, setSetting] = useState<boolean | null>(null);
  const on = setting ?? (op ? op.state !== 'disabled' : true);
  const advice = remoteOpAdvice(op?.lastErrorCode, lang);
  const path = `remote-ops/devices/${encodeURIComponent(deviceId)}`;

  const setEnabled = async (reason: string) => {
    if (asking === null) return;
    try {
      const saved = await api.put<{ enabled?: boolean }>('sync', path, { enabled: asking, reason });
      setSetting(typeof saved?.enabled === 'boolean' ? saved.enabled : asking);
      setAsking(null);
      void message.success(t('remoteOp.saved'));
      result.reload();
    } catch (e) {
      report(e);
      throw e;
    }
  };
  const retry = async () => {
    setRetrying(true);
    try {
      await api.post('sync', `${path}/retry`);
      void message.success(t('remoteOp.retried'));
      result.reload();
    } catch (e) {
      report(e);
    } finally {
      setRetrying(false);
    }
  };

  return (
    <Card
      title={t('remoteOp.title', { period })}
      size="small"
      style={{ marginTop: 16 }}
      extra={
        canManage && (
          <Button onClick={() => void retry()} loading={retrying} disabled={!op || !RETRIABLE.has(op.state)}>
            {t('remoteOp.retry')}
          </Button>
        )
      }
    >
      {result.error ? (
        <Alert type="warning" showIcon title={t('remoteOp.unavailable')} />
      ) : (
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('remoteOp.state')}>
            <RemoteOpTag op={op} t={t} />
          </Descriptions.Item>
          <Descriptions.Item label={t('remoteOp.switch')}>
            {canManage ? (
              <Space>
                <Switch
                  aria-label={t('remoteOp.switch')}
                  checked={on}
                  loading={result.loading}
                  checkedChildren={t('remoteOp.on')}
                  unCheckedChildren={t('remoteOp.off')}
                  onChange={(next) => setAsking(next)}
                />
              </Space>
            ) : (
              t(on ? 'remoteOp.on' : 'remoteOp.off')
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('remoteOp.attempts')}>{op?.attempts ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('remoteOp.nextAttemptAt')}>{formatTime(op?.nextAttemptAt)}</Descriptions.Item>
          <Descriptions.Item label={t('remoteOp.reportedAt')}>{formatTime(op?.reportedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('remoteOp.clearedAt')}>{formatTime(op?.clearedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('remoteOp.lastError')} span={2}>
            {op?.lastErrorCode || op?.lastErrorMessage ? (
              <Space orientation="vertical" size={2}>
                <Typography.Text code>{text(op.lastErrorCode)}</Typography.Text>
                <span>{text(op.lastErrorMessage)}</span>
              </Space>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('remoteOp.advice')} span={2}>
            {advice ? <Typography.Text type="warning">{advice}</Typography.Text> : '—'}
          </Descriptions.Item>
        </Descriptions>
      )}
      <ReasonModal
        open={asking !== null}
        title={t(asking ? 'remoteOp.switchOnTitle' : 'remoteOp.switchOffTitle')}
        maxLength={REASON_MAX}
        onCancel={() => setAsking(null)}
        onConfirm={setEnabled}
      />
    </Card>
  );
}
