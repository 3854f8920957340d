import { Alert, Button, Card, Form, Input, Modal, Progress, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { Page, Row } from '../api/types';
import { CursorPager, useCursorStack } from '../components/cursor-pager';
import { ExportButton } from '../components/export-button';
import { useReportError } from '../components/notify';
import { useAsync } from '../components/use-async';
import { formatTime, text } from '../domain/format';
import { useI18n, type Translate } from '../i18n/i18n';
import { useCan } from '../session/session';
import { type BoardRow, type DeviceCompliance, joinCompliance, lockIsNear, offlinePercent } from './device-compliance';
import { deviceStatus, DeviceStatusTag, hostedOnText, loadRemoteOps, RemoteOpTag, type RemoteOp } from './device-ops';
import { DeviceSecretModal, type IssuedSecret } from './device-secret';

interface RegisterValues {
  taxNo: string;
  branchId: string;
  name: string;
}

const dash = '—';

/** Last 清卡: period, status and when. */
export function ClearCardCell({ c, t }: { c: DeviceCompliance | null; t: Translate }) {
  const last = c?.lastClearCard;
  if (!last) return <>{dash}</>;
  const ok = last.status === 'succeeded';
  return (
    <Space size={4} wrap>
      <span>{last.period}</span>
      <Tag color={ok ? 'green' : 'red'}>{ok ? t('device.clearStatus.succeeded') : last.status === 'failed' ? t('device.clearStatus.failed') : last.status}</Tag>
      <Typography.Text type="secondary">{formatTime(last.at)}</Typography.Text>
    </Space>
  );
}

/** The lock date, red when it is within 7 days (or passed). */
export function LockDateCell({ c, t }: { c: DeviceCompliance | null; t: Translate }) {
  if (!c?.lockDate) return <>{dash}</>;
  return lockIsNear(c.lockDate) ? (
    <Typography.Text type="danger" strong title={t('device.lockSoon')} data-testid="lock-date-near">
      {c.lockDate}
    </Typography.Text>
  ) : (
    <span>{c.lockDate}</span>
  );
}

/** The offline amount against its limit, as a bar. */
export function OfflineCell({ c }: { c: DeviceCompliance | null }) {
  const percent = c ? offlinePercent(c) : null;
  if (!c || percent === null) return <>{dash}</>;
  return (
    <div style={{ minWidth: 160 }}>
      <Progress percent={percent} size="small" status={percent >= 80 ? 'exception' : 'normal'} showInfo={false} />
      <Typography.Text style={{ fontSize: 12 }}>
        {c.offlineAmount} / {c.offlineAmountLimit}
      </Typography.Text>
    </div>
  );
}

/** Last 抄报: period and when. */
export function ReportCell({ c }: { c: DeviceCompliance | null }) {
  const last = c?.lastReport;
  if (!last) return <>{dash}</>;
  return (
    <Space size={4} wrap>
      <span>{last.period}</span>
      <Typography.Text type="secondary">{formatTime(last.at)}</Typography.Text>
    </Space>
  );
}

/**
 * Sync's remote 抄报 / 清卡 of the page's hosted devices in the period it is filing, by device id; nothing asked when none
 * is hosted. When sync cannot answer, the board still shows and `error` says why.
 */
async function remoteOpsOf(rows: BoardRow[]): Promise<{ period: string | null; ops: Map<string, RemoteOp>; error: unknown }> {
  const hosted = rows.filter((d) => typeof d.hostedOn === 'string' && d.hostedOn);
  if (hosted.length === 0) return { period: null, ops: new Map(), error: null };
  try {
    const { period, byDevice } = await loadRemoteOps(hosted.map((d) => String(d.taxNo)));
    return { period, ops: byDevice, error: null };
  } catch (error) {
    return { period: null, ops: new Map(), error };
  }
}

/**
 * The devices' compliance board: a page of the gateway's registry (name, status, branch, 机器编号, hosting) joined by
 * device id with reconcile's compliance (清卡, lock date, offline amount, 抄报) and, for hosted devices, sync's remote
 * 抄报 / 清卡 of the period being filed; registration for devices:manage.
 */
export function DevicesPage() {
  const { t } = useI18n();
  const can = useCan();
  const report = useReportError();
  const paging = useCursorStack('devices');
  const result = useAsync(async () => {
    const page = await api.get<Page<Row>>('gateway', 'admin/devices', { cursor: paging.cursor, limit: 50 });
    const joined = await joinCompliance(page.items ?? []);
    const remote = await remoteOpsOf(joined.rows);
    return { ...page, ...joined, remotePeriod: remote.period ?? joined.filing?.period ?? '', remoteOps: remote.ops, remoteOpsError: remote.error };
  }, paging.cursor ?? '');
  const [registering, setRegistering] = useState(false);
  const [issued, setIssued] = useState<IssuedSecret | null>(null);
  const [form] = Form.useForm<RegisterValues>();

  const register = async () => {
    const values = await form.validateFields();
    try {
      const created = await api.post<IssuedSecret>('gateway', 'admin/devices', values);
      setRegistering(false);
      form.resetFields();
      setIssued(created);
      result.reload();
    } catch (e) {
      report(e);
    }
  };

  return (
    <Card
      title={t('nav.devices')}
      extra={
        <Space>
          {can('devices:manage') && (
            <Button type="primary" onClick={() => setRegistering(true)}>
              {t('device.register')}
            </Button>
          )}
          <ExportButton kind="devices" query={{}} />
        </Space>
      }
    >
      {result.data?.error ? <Alert type="warning" showIcon title={t('device.complianceUnavailable')} style={{ marginBottom: 12 }} /> : null}
      {result.data?.remoteOpsError ? <Alert type="warning" showIcon title={t('remoteOp.unavailable')} style={{ marginBottom: 12 }} /> : null}
      <Table<BoardRow>
        rowKey={(d) => d.deviceId}
        size="middle"
        loading={result.loading}
        pagination={false}
        dataSource={result.data?.rows ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('device.device'),
            key: 'device',
            render: (_: unknown, d) => (
              <Link to={`/devices/${encodeURIComponent(d.deviceId)}`}>{text(d.name ?? d.deviceId)}</Link>
            ),
          },
          {
            title: t('device.state'),
            dataIndex: 'status',
            key: 'status',
            render: (status: unknown) => <DeviceStatusTag status={status} t={t} />,
          },
          { title: t('device.taxNo'), dataIndex: 'taxNo', key: 'taxNo', render: text },
          { title: t('device.branch'), dataIndex: 'branchId', key: 'branchId', render: text },
          { title: t('device.deviceNo'), key: 'deviceNo', render: (_: unknown, d) => text(d.deviceNo ?? d.compliance?.deviceNo) },
          { title: t('device.hostedOn'), key: 'hostedOn', render: (_: unknown, d) => hostedOnText(d.hostedOn, t) },
          {
            title: t('remoteOp.column', { period: result.data?.remotePeriod ?? '' }),
            key: 'remoteOps',
            render: (_: unknown, d) => {
              const op = result.data?.remoteOps.get(d.deviceId);
              // sync lists a hosted device once it is active with a 机器编号, or has a job in the period
              const listed = op || (typeof d.hostedOn === 'string' && d.hostedOn && deviceStatus(d.status) === 'active');
              return listed && !result.data?.remoteOpsError ? <RemoteOpTag op={op} t={t} /> : dash;
            },
          },
          { title: t('device.lastClearCard'), key: 'clear', render: (_: unknown, d) => <ClearCardCell c={d.compliance} t={t} /> },
          {
            title: t('device.clearedForPeriod', { period: result.data?.filing?.period ?? '' }),
            key: 'cleared',
            render: (_: unknown, d) =>
              d.compliance ? (
                <Tag color={d.compliance.clearedForPeriod ? 'green' : 'red'}>{d.compliance.clearedForPeriod ? t('yes') : t('no')}</Tag>
              ) : (
                dash
              ),
          },
          { title: t('device.lockDate'), key: 'lock', render: (_: unknown, d) => <LockDateCell c={d.compliance} t={t} /> },
          { title: t('device.offline'), key: 'offline', render: (_: unknown, d) => <OfflineCell c={d.compliance} /> },
          { title: t('device.lastReport'), key: 'report', render: (_: unknown, d) => <ReportCell c={d.compliance} /> },
        ]}
      />
      <CursorPager nextCursor={result.data?.nextCursor} paging={paging} loading={result.loading} />
      <Modal
        open={registering}
        title={t('device.register')}
        okText={t('ok')}
        cancelText={t('cancel')}
        forceRender
        onOk={() => void register().catch(() => undefined)}
        onCancel={() => setRegistering(false)}
      >
        <Form form={form} layout="vertical" name="register-device">
          <Form.Item name="taxNo" label={t('device.taxNo')} rules={[{ required: true, pattern: /^[0-9A-Z]{15,20}$/ }]}>
            <Input />
          </Form.Item>
          <Form.Item name="branchId" label={t('device.branch')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t('device.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
      <DeviceSecretModal issued={issued} onClose={() => setIssued(null)} />
    </Card>
  );
}
