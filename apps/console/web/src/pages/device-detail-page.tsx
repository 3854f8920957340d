import { Button, Card, Descriptions, Result, Space, Tag } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/api-error';
import { api } from '../api/client';
import type { Actor, Row } from '../api/types';
import { useReportError } from '../components/notify';
import { useAsync } from '../components/use-async';
import { actorName, formatTime, text } from '../domain/format';
import { useI18n } from '../i18n/i18n';
import { useCan } from '../session/session';
import type { DeviceCompliance, Filing } from './device-compliance';
import { DeviceHistory, LifecycleActions } from './device-lifecycle';
import { deviceStatus, DeviceStatusTag, hostedOnText } from './device-ops';
import { RemoteOpsPanel } from './device-remote-ops';
import { DeviceResetPanel } from './device-reset';
import { ClearCardCell, LockDateCell, OfflineCell, ReportCell } from './devices-page';
import { DeviceSecretModal, type IssuedSecret } from './device-secret';

/**
 * One device: where it belongs and its status (the gateway's registry), its compliance facts (reconcile's, absent until
 * it sent an event), its change history, its remote 抄报 / 清卡 when hosted (sync's) and its guided reset (reconcile's).
 * People who may manage devices also get secret rotation, Suspend / Enable / Retire, the remote switch and Retry, and
 * the reset's buttons; the services decide again.
 */
export function DeviceDetailPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const can = useCan();
  const report = useReportError();
  const [issued, setIssued] = useState<IssuedSecret | null>(null);
  const [version, setVersion] = useState(0);
  const result = useAsync(() => api.get<Row>('gateway', `admin/devices/${encodeURIComponent(id)}`), `${id}:${version}`, true);
  const compliance = useAsync(
    () =>
      api.get<DeviceCompliance & { filing: Filing }>('reconcile', `devices/${encodeURIComponent(id)}`).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    `compliance:${id}`,
  );
  if (result.error instanceof ApiError && result.error.status === 404) {
    return <Result status="404" title={t('device.notFound')} extra={<Link to="/devices">{t('nav.devices')}</Link>} />;
  }
  if (result.error) {
    const e = result.error;
    return <Result status="error" title={t('errorTitle')} subTitle={e instanceof ApiError ? `${e.message} (${e.code})` : String(e)} />;
  }
  const d = result.data;
  const changed = () => setVersion((n) => n + 1);
  const rotate = async () => {
    try {
      const answer = await api.post<IssuedSecret>('gateway', `admin/devices/${encodeURIComponent(id)}/rotate-secret`);
      setIssued({ deviceId: answer.deviceId ?? id, secret: answer.secret });
      changed();
    } catch (e) {
      report(e);
    }
  };
  const c = compliance.data ?? null;
  const manage = can('devices:manage');
  const hosted = typeof d?.hostedOn === 'string' && d.hostedOn !== '';
  return (
    <>
      <Card
        title={`${t('device.device')} ${d ? text(d.name) : ''}`}
        loading={result.loading && !d}
        extra={
          manage &&
          d && (
            <Space wrap>
              <Button onClick={() => void rotate()} disabled={deviceStatus(d.status) !== 'active'}>
                {t('device.rotate')}
              </Button>
              <LifecycleActions device={d} onChanged={changed} />
            </Space>
          )
        }
      >
        {d && (
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('device.deviceId')}>{text(d.deviceId)}</Descriptions.Item>
            <Descriptions.Item label={t('device.state')}>
              <DeviceStatusTag status={d.status} t={t} testId="device-status" />
            </Descriptions.Item>
            <Descriptions.Item label={t('device.name')}>{text(d.name)}</Descriptions.Item>
            <Descriptions.Item label={t('device.statusReason')}>{text(d.statusReason)}</Descriptions.Item>
            <Descriptions.Item label={t('device.taxNo')}>{text(d.taxNo)}</Descriptions.Item>
            <Descriptions.Item label={t('device.statusChangedAt')}>{formatTime(d.statusChangedAt as string)}</Descriptions.Item>
            <Descriptions.Item label={t('device.branch')}>{text(d.branchId)}</Descriptions.Item>
            <Descriptions.Item label={t('device.hostedOn')}>{hostedOnText(d.hostedOn, t)}</Descriptions.Item>
            <Descriptions.Item label={t('device.deviceNo')}>{text(d.deviceNo ?? c?.deviceNo)}</Descriptions.Item>
            <Descriptions.Item label={t('device.lastClearCard')}>
              <ClearCardCell c={c} t={t} />
            </Descriptions.Item>
            <Descriptions.Item label={t('device.clearedForPeriod', { period: c?.filing.period ?? '' })}>
              {c ? (
                <Tag color={c.clearedForPeriod ? 'green' : 'red'}>
                  {c.clearedForPeriod ? (c.clearRequired === false ? t('device.notRequired') : t('yes')) : t('no')}
                </Tag>
              ) : (
                '—'
              )}
              {c ? ` ${t('device.filingDeadline', { deadline: c.filing.deadline })}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('device.lockDate')}>
              <LockDateCell c={c} t={t} />
            </Descriptions.Item>
            <Descriptions.Item label={t('device.offline')}>
              <OfflineCell c={c} />
            </Descriptions.Item>
            <Descriptions.Item label={t('device.offlineSince')}>{formatTime(c?.offlineSince)}</Descriptions.Item>
            <Descriptions.Item label={t('device.offlineHoursLimit')}>{c?.offlineHoursLimit ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('device.lastReport')}>
              <ReportCell c={c} />
            </Descriptions.Item>
            <Descriptions.Item label={t('device.createdAt')}>{formatTime(d.createdAt as string)}</Descriptions.Item>
            <Descriptions.Item label={t('device.secretRotatedAt')}>{formatTime(d.secretRotatedAt as string)}</Descriptions.Item>
            <Descriptions.Item label={t('device.updatedBy')}>{actorName(d.updatedBy as Actor | null)}</Descriptions.Item>
          </Descriptions>
        )}
        <DeviceSecretModal issued={issued} onClose={() => setIssued(null)} />
      </Card>
      {d && <DeviceHistory deviceId={id} version={version} />}
      {d && hosted && <RemoteOpsPanel device={d} canManage={manage} />}
      {d && <DeviceResetPanel device={d} canManage={manage} onDeviceChanged={changed} />}
    </>
  );
}
