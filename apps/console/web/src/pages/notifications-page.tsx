import { App, Button, Card, Table, Tabs, Tag } from 'antd';
import { api } from '../api/client';
import type { Page, Row } from '../api/types';
import { CursorPager, useCursorStack } from '../components/cursor-pager';
import { KeyValueList } from '../components/key-value-list';
import { useReportError } from '../components/notify';
import { useAsync } from '../components/use-async';
import { formatTime, text } from '../domain/format';
import { SEVERITIES, label } from '../domain/labels';
import { useI18n } from '../i18n/i18n';
import { useCan } from '../session/session';
import { Link } from 'react-router-dom';

function items(data: Page<Row> | Row[] | undefined): Row[] {
  if (!data) return [];
  return Array.isArray(data) ? data : (data.items ?? []);
}

function SentLog() {
  const { t, lang } = useI18n();
  const can = useCan();
  const report = useReportError();
  const { message } = App.useApp();
  const paging = useCursorStack('sent');
  const result = useAsync(() => api.get<Page<Row>>('notifier', 'notifications', { cursor: paging.cursor, limit: 50 }), paging.cursor ?? '');
  const resend = async (id: string) => {
    try {
      await api.post('notifier', `notifications/${encodeURIComponent(id)}/resend`, {});
      void message.success(t('done'));
      result.reload();
    } catch (e) {
      report(e);
    }
  };
  return (
    <>
      <Table<Row>
        rowKey={(r) => String(r.id)}
        size="middle"
        loading={result.loading}
        pagination={false}
        dataSource={items(result.data)}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('notify.sentAt'), key: 'at', render: (_: unknown, r) => formatTime((r.sentAt ?? r.createdAt) as string) },
          { title: t('notify.channel'), dataIndex: 'channel', key: 'channel', render: text },
          { title: t('notify.destination'), dataIndex: 'destination', key: 'destination', render: text },
          { title: t('notify.kind'), dataIndex: 'kind', key: 'kind', render: text },
          { title: t('notify.severity'), dataIndex: 'severity', key: 'severity', render: (s: string) => label(SEVERITIES, s, lang) },
          { title: t('notify.status'), dataIndex: 'status', key: 'status', render: (s: string) => <Tag color={s === 'sent' ? 'green' : s === 'failed' || s === 'dead' ? 'red' : 'blue'}>{text(s)}</Tag> },
          { title: t('notify.attempts'), dataIndex: 'attempts', key: 'attempts', render: text },
          { title: t('notify.finding'), dataIndex: 'findingId', key: 'findingId', render: (id: string | null) => (id ? <Link to={`/findings/${encodeURIComponent(id)}`}>{id.slice(0, 8)}</Link> : '—') },
          ...(can('notifications:resend')
            ? [{ title: '', key: 'resend', render: (_: unknown, r: Row) => <Button size="small" onClick={() => void resend(String(r.id))}>{t('notify.resend')}</Button> }]
            : []),
        ]}
      />
      <CursorPager nextCursor={(result.data as Page<Row> | undefined)?.nextCursor} paging={paging} loading={result.loading} />
    </>
  );
}

function Recipients() {
  const { t } = useI18n();
  const result = useAsync(() => api.get<Page<Row> | Row[]>('notifier', 'recipients'), 'recipients');
  return (
    <Table<Row>
      rowKey={(r) => String(r.id)}
      size="middle"
      loading={result.loading}
      dataSource={items(result.data)}
      columns={[
        { title: t('notify.name'), dataIndex: 'name', key: 'name', render: text },
        { title: t('notify.email'), dataIndex: 'email', key: 'email', render: text },
        { title: t('notify.mobile'), dataIndex: 'mobile', key: 'mobile', render: text },
        { title: t('notify.active'), dataIndex: 'active', key: 'active', render: (a: boolean) => (a ? t('yes') : t('no')) },
        { title: t('notify.scopes'), dataIndex: 'scopes', key: 'scopes', render: (s: unknown) => text(s) },
      ]}
    />
  );
}

function Rules() {
  const { t } = useI18n();
  const result = useAsync(() => api.get<Page<Row> | Row[]>('notifier', 'rules'), 'rules');
  return (
    <Table<Row>
      rowKey={(r, i) => String(r.id ?? i)}
      size="middle"
      loading={result.loading}
      dataSource={items(result.data)}
      columns={[
        {
          title: t('notify.rule'),
          key: 'rule',
          render: (_: unknown, r) => {
            const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = r;
            return <KeyValueList value={rest} bordered={false} />;
          },
        },
        { title: t('notify.createdAt'), dataIndex: 'createdAt', key: 'createdAt', render: (v: string) => formatTime(v) },
      ]}
    />
  );
}

/** What was sent to whom (the delivery log), who receives alerts, and the routing rules. */
export function NotificationsPage() {
  const { t } = useI18n();
  return (
    <Card title={t('nav.notifications')}>
      <Tabs
        items={[
          { key: 'sent', label: t('notify.sent'), children: <SentLog /> },
          { key: 'recipients', label: t('notify.recipients'), children: <Recipients /> },
          { key: 'rules', label: t('notify.rules'), children: <Rules /> },
        ]}
      />
    </Card>
  );
}
