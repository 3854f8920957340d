import { App, Button, Card, Form, Input, Select, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import type { Page, Row } from '../api/types';
import { CursorPager, useCursorStack } from '../components/cursor-pager';
import { useReportError } from '../components/notify';
import { ReasonModal } from '../components/reason-modal';
import { useAsync } from '../components/use-async';
import { formatTime, text } from '../domain/format';
import { useI18n } from '../i18n/i18n';
import { useCan } from '../session/session';

const STATUSES = ['pending', 'sending', 'accepted', 'rejected', 'dead', 'relayed'];
const STATUS_COLORS: Record<string, string> = { accepted: 'green', relayed: 'cyan', dead: 'red', rejected: 'volcano', pending: 'blue', sending: 'blue' };

/** Each invoice's delivery to each target (the authority, Baiwang, Nuonuo); dead ones can be sent again. */
export function DeliveriesPage() {
  const { t } = useI18n();
  const can = useCan();
  const report = useReportError();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? undefined;
  const target = params.get('target') ?? undefined;
  const key = `${status ?? ''}|${target ?? ''}`;
  const paging = useCursorStack(key);
  const result = useAsync(() => api.get<Page<Row>>('sync', 'deliveries', { status, target, cursor: paging.cursor, limit: 50 }), `${key}|${paging.cursor ?? ''}`);
  const [retrying, setRetrying] = useState<Row | null>(null);
  const setFilter = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const retry = async (reason: string) => {
    if (!retrying) return;
    try {
      await api.post('sync', `deliveries/${encodeURIComponent(String(retrying.invoiceKey))}/retry`, { target: retrying.target, reason });
      setRetrying(null);
      void message.success(t('done'));
      result.reload();
    } catch (e) {
      report(e);
    }
  };
  return (
    <Card title={t('nav.deliveries')}>
      <Form layout="inline" className="console-filters" name="delivery-filters">
        <Form.Item label={t('delivery.status')} htmlFor="delivery-status">
          <Select id="delivery-status" allowClear value={status} onChange={(v?: string) => setFilter('status', v)} style={{ width: 140 }} options={STATUSES.map((s) => ({ value: s, label: s }))} />
        </Form.Item>
        <Form.Item label={t('delivery.target')} htmlFor="delivery-target">
          <Input id="delivery-target" allowClear defaultValue={target} onPressEnter={(e) => setFilter('target', e.currentTarget.value.trim() || undefined)} onBlur={(e) => setFilter('target', e.currentTarget.value.trim() || undefined)} style={{ width: 160 }} placeholder="authority / baiwang / nuonuo" />
        </Form.Item>
      </Form>
      <Table<Row>
        rowKey={(r) => String(r.id ?? `${String(r.invoiceKey)}-${String(r.target)}`)}
        size="middle"
        loading={result.loading}
        pagination={false}
        dataSource={result.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('delivery.invoiceKey'), dataIndex: 'invoiceKey', key: 'invoiceKey', render: (k: string) => <Link to={`/invoices/${encodeURIComponent(k)}`}>{k}</Link> },
          { title: t('delivery.target'), dataIndex: 'target', key: 'target', render: text },
          { title: t('delivery.kind'), dataIndex: 'kind', key: 'kind', render: text },
          { title: t('delivery.status'), dataIndex: 'status', key: 'status', render: (s: string) => <Tag color={STATUS_COLORS[s]}>{text(s)}</Tag> },
          { title: t('delivery.attempts'), dataIndex: 'attempts', key: 'attempts', render: text },
          {
            title: t('delivery.lastError'),
            dataIndex: 'lastError',
            key: 'lastError',
            render: (e: { code?: string; message?: string } | null) => (e ? <Tooltip title={e.message}>{text(e.code)}</Tooltip> : '—'),
          },
          { title: t('delivery.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', render: (v: string) => formatTime(v) },
          ...(can('deliveries:retry')
            ? [
                {
                  title: '',
                  key: 'retry',
                  render: (_: unknown, r: Row) =>
                    r.status === 'dead' || r.status === 'rejected' ? (
                      <Button size="small" onClick={() => setRetrying(r)}>
                        {t('delivery.retry')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <CursorPager total={result.data?.total} nextCursor={result.data?.nextCursor} paging={paging} loading={result.loading} />
      <ReasonModal open={retrying !== null} title={t('delivery.retry')} onCancel={() => setRetrying(null)} onConfirm={retry} />
    </Card>
  );
}
