import { Button, Card, Space, Table, Typography } from 'antd';
import { api } from '../api/client';
import type { AuditEntry, Page } from '../api/types';
import { CursorPager, useCursorStack } from '../components/cursor-pager';
import { ExportButton } from '../components/export-button';
import { useAsync } from '../components/use-async';
import { actorName, formatTime } from '../domain/format';
import { useI18n } from '../i18n/i18n';

/** Every recorded action across the services, newest first (the console backend merges the services' logs). */
export function AuditPage() {
  const { t } = useI18n();
  const paging = useCursorStack('audit');
  const result = useAsync(
    () => api.raw<Page<AuditEntry>>('GET', `/api/audit?${new URLSearchParams({ limit: '50', ...(paging.cursor ? { cursor: paging.cursor } : {}) }).toString()}`),
    paging.cursor ?? '',
  );
  const items = [...(result.data?.items ?? [])].sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
  return (
    <Card
      title={t('nav.audit')}
      extra={
        <Space>
          <Button onClick={result.reload}>{t('refresh')}</Button>
          <ExportButton kind="audit" query={{}} />
        </Space>
      }
    >
      <Table<AuditEntry>
        rowKey={(a) => `${a.service ?? ''}:${a.id}`}
        size="middle"
        loading={result.loading}
        pagination={false}
        dataSource={items}
        columns={[
          { title: t('audit.when'), dataIndex: 'at', key: 'at', render: (at: string) => formatTime(at) },
          { title: t('audit.actor'), dataIndex: 'actor', key: 'actor', render: (a: AuditEntry['actor']) => actorName(a) },
          { title: t('audit.action'), dataIndex: 'action', key: 'action', render: (a: string) => <Typography.Text code>{a}</Typography.Text> },
          {
            title: t('audit.target'),
            dataIndex: 'target',
            key: 'target',
            render: (target: AuditEntry['target']) => (target ? `${target.type ?? ''} ${target.id ?? ''}`.trim() : '—'),
          },
          { title: t('audit.reason'), dataIndex: 'reason', key: 'reason', render: (r: string | null) => r || '—' },
          { title: t('audit.service'), dataIndex: 'service', key: 'service' },
        ]}
      />
      <CursorPager nextCursor={result.data?.nextCursor} paging={paging} loading={result.loading} />
    </Card>
  );
}
