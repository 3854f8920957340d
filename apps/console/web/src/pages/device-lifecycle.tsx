import { Alert, App, Button, Card, Table } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { Page, Row } from '../api/types';
import { useReportError } from '../components/notify';
import { ReasonModal } from '../components/reason-modal';
import { useAsync } from '../components/use-async';
import { actorName, formatTime, text } from '../domain/format';
import { useI18n } from '../i18n/i18n';
import { changeText, deviceStatus, DeviceStatusTag, type DeviceChange } from './device-ops';

/** The services take a reason of 1-500 characters for device changes. */
export const REASON_MAX = 500;

type LifecycleAction = 'suspend' | 'enable' | 'retire';

const TITLES = { suspend: 'device.suspendTitle', enable: 'device.enableTitle', retire: 'device.retireTitle' } as const;

/**
 * Suspend, Enable and Retire, each asking for the reason recorded with the change (for people who may manage devices;
 * the gateway decides again). Suspend and Retire from active, Enable from suspended, nothing once retired.
 */
export function LifecycleActions({ device, onChanged }: { device: Row; onChanged: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const [asking, setAsking] = useState<LifecycleAction | null>(null);
  const status = deviceStatus(device.status);
  const id = encodeURIComponent(String(device.deviceId));
  const perform = async (reason: string) => {
    if (!asking) return;
    try {
      const changed = await api.post<Row>('gateway', `admin/devices/${id}/${asking}`, { reason });
      setAsking(null);
      const now = deviceStatus(changed?.status);
      if (now) void message.success(t('device.statusNow', { status: t(`device.status.${now}`) }));
      onChanged();
    } catch (e) {
      report(e);
      throw e;
    }
  };
  return (
    <>
      <Button onClick={() => setAsking('suspend')} disabled={status !== 'active'}>
        {t('device.suspend')}
      </Button>
      <Button onClick={() => setAsking('enable')} disabled={status !== 'suspended'}>
        {t('device.enable')}
      </Button>
      <Button danger onClick={() => setAsking('retire')} disabled={status === 'retired' || status === null}>
        {t('device.retire')}
      </Button>
      <ReasonModal
        open={asking !== null}
        title={asking ? t(TITLES[asking]) : ''}
        maxLength={REASON_MAX}
        onCancel={() => setAsking(null)}
        onConfirm={perform}
      />
    </>
  );
}

/** The device's change history from the gateway, newest first: when, what, the status after it, who and why. */
export function DeviceHistory({ deviceId, version }: { deviceId: string; version: number }) {
  const { t } = useI18n();
  const history = useAsync(
    () => api.get<Page<DeviceChange>>('gateway', `admin/devices/${encodeURIComponent(deviceId)}/changes`),
    `${deviceId}:${version}`,
    true,
  );
  return (
    <Card title={t('device.history')} size="small" style={{ marginTop: 16 }}>
      {history.error ? (
        <Alert type="warning" showIcon title={t('device.historyUnavailable')} />
      ) : (
        <Table<DeviceChange>
          data-testid="device-history"
          rowKey={(c) => `${c.at}:${c.change}:${c.reason ?? ''}`}
          size="small"
          loading={history.loading}
          pagination={false}
          dataSource={history.data?.items ?? []}
          columns={[
            { title: t('history.when'), dataIndex: 'at', key: 'at', render: (at: string) => formatTime(at) },
            { title: t('device.historyChange'), key: 'change', render: (_: unknown, c) => changeText(c, t) },
            {
              title: t('device.historyStatus'),
              dataIndex: 'status',
              key: 'status',
              render: (s: unknown) => (s ? <DeviceStatusTag status={s} t={t} /> : '—'),
            },
            { title: t('history.actor'), key: 'actor', render: (_: unknown, c) => actorName(c.actor) },
            { title: t('history.reason'), dataIndex: 'reason', key: 'reason', render: text },
          ]}
        />
      )}
    </Card>
  );
}
