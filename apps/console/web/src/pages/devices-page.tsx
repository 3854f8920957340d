import { Button, Card, Form, Input, Modal, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { Page, Row } from '../api/types';
import { CursorPager, useCursorStack } from '../components/cursor-pager';
import { ExportButton } from '../components/export-button';
import { useReportError } from '../components/notify';
import { useAsync } from '../components/use-async';
import { text } from '../domain/format';
import { useI18n } from '../i18n/i18n';
import { useCan } from '../session/session';
import { complianceOf } from './device-compliance';
import { DeviceSecretModal, type IssuedSecret } from './device-secret';

interface RegisterValues {
  taxNo: string;
  branchId: string;
  name: string;
}

/** The devices' compliance board (清卡, lock date, offline amount, 抄报) and their registration. */
export function DevicesPage() {
  const { t } = useI18n();
  const can = useCan();
  const report = useReportError();
  const paging = useCursorStack('devices');
  const result = useAsync(() => api.get<Page<Row>>('gateway', 'admin/devices', { cursor: paging.cursor, limit: 50 }), paging.cursor ?? '');
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
      <Table<Row>
        rowKey={(d) => String(d.deviceId)}
        size="middle"
        loading={result.loading}
        pagination={false}
        dataSource={result.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('device.device'),
            key: 'device',
            render: (_: unknown, d) => (
              <Link to={`/devices/${encodeURIComponent(String(d.deviceId))}`}>{text(d.name ?? d.deviceId)}</Link>
            ),
          },
          { title: t('device.taxNo'), dataIndex: 'taxNo', key: 'taxNo', render: text },
          { title: t('device.branch'), dataIndex: 'branchId', key: 'branchId', render: text },
          { title: t('device.deviceNo'), dataIndex: 'deviceNo', key: 'deviceNo', render: text },
          { title: t('device.lastClearCard'), key: 'clear', render: (_: unknown, d) => complianceOf(d).lastClearCard },
          { title: t('device.lockDate'), key: 'lock', render: (_: unknown, d) => complianceOf(d).lockDate },
          { title: t('device.offline'), key: 'offline', render: (_: unknown, d) => complianceOf(d).offline },
          { title: t('device.lastReport'), key: 'report', render: (_: unknown, d) => complianceOf(d).lastReport },
          {
            title: t('device.state'),
            dataIndex: 'status',
            key: 'status',
            render: (s: string) => <Tag color={s === 'active' ? 'green' : 'default'}>{s === 'active' || s === 'disabled' ? t(`device.status.${s}`) : text(s)}</Tag>,
          },
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
