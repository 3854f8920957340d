import { App, Button, Card, Form, Input, Progress, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Page, Row } from '../api/types';
import { CursorPager, useCursorStack } from '../components/cursor-pager';
import { useReportError } from '../components/notify';
import { useAsync } from '../components/use-async';
import { spinnerWhile } from '../components/busy';
import { actorName, formatTime, text } from '../domain/format';
import { useI18n } from '../i18n/i18n';
import { useCan } from '../session/session';

const RUNNING = ['queued', 'pending', 'running', 'pulling', 'comparing'];
const STATE_COLORS: Record<string, string> = { succeeded: 'green', completed: 'green', failed: 'red', incomplete: 'orange', running: 'blue', queued: 'default' };

function coverage(run: Row): number | null {
  const pull = (run.pull ?? {}) as Row;
  const value = pull.coverage ?? run.coverage;
  if (typeof value === 'number') return Math.round(value <= 1 ? value * 100 : value);
  if (typeof value === 'string' && value !== '' && !Number.isNaN(Number(value))) return Math.round(Number(value) <= 1 ? Number(value) * 100 : Number(value));
  return null;
}

function counts(run: Row): string {
  const c = run.counts;
  if (!c || typeof c !== 'object') return '—';
  const entries = Object.entries(c as Record<string, unknown>).filter(([, n]) => typeof n === 'number' && n > 0);
  return entries.length ? entries.map(([k, n]) => `${k}: ${String(n)}`).join(', ') : '0';
}

/** Reconciliation runs per taxpayer and period: their progress and coverage, and starting one on demand. */
export function ReconciliationsPage() {
  const { t } = useI18n();
  const can = useCan();
  const report = useReportError();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<{ taxNo?: string; period?: string }>({});
  const key = JSON.stringify(filter);
  const paging = useCursorStack(key);
  const result = useAsync(() => api.get<Page<Row>>('reconcile', 'reconciliations', { ...filter, cursor: paging.cursor, limit: 50 }), `${key}|${paging.cursor ?? ''}`);
  const [form] = Form.useForm<{ taxNo: string; period: string }>();
  const [busy, setBusy] = useState(false);
  const items = result.data?.items ?? [];
  const active = items.some((r) => RUNNING.includes(String(r.state)));
  // follow running runs until they finish
  useEffect(() => {
    if (!active) return;
    const timer = window.setTimeout(result.reload, 3000);
    return () => window.clearTimeout(timer);
  }, [active, result.data, result.reload]);

  const start = async (values: { taxNo: string; period: string }) => {
    setBusy(true);
    try {
      const answer = await api.post<{ runId: string }>('reconcile', 'reconciliations', { taxNo: values.taxNo.trim(), period: values.period.trim() });
      void message.success(t('run.started', { id: answer.runId }));
      setFilter({ taxNo: values.taxNo.trim(), period: values.period.trim() });
      result.reload();
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {can('runs:start') && (
        <Card title={t('run.start')}>
          <Form form={form} layout="inline" name="start-run" onFinish={(v) => void start(v)}>
            <Form.Item name="taxNo" label={t('run.taxNo')} rules={[{ required: true, pattern: /^[0-9A-Z]{15,20}$/ }]}>
              <Input style={{ width: 220 }} />
            </Form.Item>
            <Form.Item name="period" label={t('run.period')} rules={[{ required: true, pattern: /^\d{4}-(0[1-9]|1[0-2])$/ }]}>
              <Input placeholder="YYYY-MM" style={{ width: 110 }} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={spinnerWhile(busy)}>
                {t('run.start')}
              </Button>
            </Form.Item>
          </Form>
        </Card>
      )}
      <Card title={t('nav.reconciliations')}>
        <Form layout="inline" className="console-filters" name="run-filters" onFinish={(v: { taxNo?: string; period?: string }) => setFilter({ taxNo: v.taxNo?.trim() || undefined, period: v.period?.trim() || undefined })}>
          <Form.Item name="taxNo" label={t('run.taxNo')}>
            <Input allowClear style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="period" label={t('run.period')}>
            <Input allowClear placeholder="YYYY-MM" style={{ width: 110 }} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit">{t('search')}</Button>
          </Form.Item>
        </Form>
        <Table<Row>
          rowKey={(r) => String(r.runId ?? r.id)}
          size="middle"
          loading={result.loading && items.length === 0}
          pagination={false}
          dataSource={items}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('run.taxNo'), dataIndex: 'taxNo', key: 'taxNo', render: text },
            { title: t('run.period'), dataIndex: 'period', key: 'period', render: text },
            { title: t('run.state'), dataIndex: 'state', key: 'state', render: (s: string) => <Tag color={STATE_COLORS[s]}>{text(s)}</Tag> },
            { title: t('run.phase'), dataIndex: 'phase', key: 'phase', render: text },
            {
              title: t('run.coverage'),
              key: 'coverage',
              render: (_: unknown, r) => {
                const pct = coverage(r);
                return pct === null ? '—' : <Progress percent={pct} size="small" style={{ width: 120 }} />;
              },
            },
            { title: t('run.records'), key: 'records', render: (_: unknown, r) => text(((r.pull ?? {}) as Row).records) },
            { title: t('run.counts'), key: 'counts', render: (_: unknown, r) => counts(r) },
            { title: t('run.trigger'), dataIndex: 'trigger', key: 'trigger', render: text },
            { title: t('run.requestedBy'), dataIndex: 'requestedBy', key: 'requestedBy', render: (a: unknown) => actorName(a as string) },
            { title: t('run.createdAt'), dataIndex: 'createdAt', key: 'createdAt', render: (v: string) => formatTime(v) },
            { title: t('run.finishedAt'), dataIndex: 'finishedAt', key: 'finishedAt', render: (v: string) => formatTime(v) },
          ]}
        />
        <CursorPager total={result.data?.total} nextCursor={result.data?.nextCursor} paging={paging} loading={result.loading} />
      </Card>
    </Space>
  );
}
