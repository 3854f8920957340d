import { App, Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import type { Finding, Page } from '../api/types';
import { CursorPager, useCursorStack } from '../components/cursor-pager';
import { ExportButton } from '../components/export-button';
import { useReportError } from '../components/notify';
import { ReasonModal } from '../components/reason-modal';
import { useAsync } from '../components/use-async';
import { findingExplanation } from '../domain/finding-explanation';
import { FINDING_STATES, FINDING_TYPES, SEVERITIES, invoiceKey, label } from '../domain/labels';
import { useI18n } from '../i18n/i18n';
import { useCan } from '../session/session';
import { actionAllowed, type FindingActionName } from './finding-actions';

const FILTERS = ['taxNo', 'branchId', 'period', 'type', 'state', 'severity', 'invoiceNumber'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const PAGE_SIZE = 50;

function readFilters(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  return filters;
}

export function FindingsPage() {
  const { t, lang } = useI18n();
  const can = useCan();
  const report = useReportError();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const filterKey = JSON.stringify(filters);
  const paging = useCursorStack(filterKey);
  const [form] = Form.useForm<Filters>();
  const [selected, setSelected] = useState<Finding[]>([]);
  const [pending, setPending] = useState<FindingActionName | null>(null);
  const typing = useRef<number | undefined>(undefined);

  const result = useAsync(
    () => api.get<Page<Finding>>('reconcile', 'findings', { ...filters, cursor: paging.cursor, limit: PAGE_SIZE }),
    `${filterKey}|${paging.cursor ?? ''}`,
  );
  useEffect(() => setSelected([]), [result.data]);
  // the address is the source of truth: back/forward and shared links fill the form
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(filters);
  }, [filterKey, form]);

  const writeFilters = (values: Filters) => {
    const next = new URLSearchParams(params);
    for (const name of FILTERS) {
      const value = values[name]?.trim();
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setParams(next, { replace: true });
  };
  const onValuesChange = (changed: Filters, all: Filters) => {
    window.clearTimeout(typing.current);
    const isSelect = 'type' in changed || 'state' in changed || 'severity' in changed;
    typing.current = window.setTimeout(() => writeFilters(all), isSelect ? 0 : 400);
  };

  const act = async (action: FindingActionName, reason: string) => {
    const targets = selected.filter((f) => actionAllowed(action, f));
    let done = 0;
    for (const finding of targets) {
      try {
        await api.post('reconcile', `findings/${encodeURIComponent(finding.id)}/actions`, { action, reason });
        done += 1;
      } catch (e) {
        report(e);
      }
    }
    setPending(null);
    setSelected([]);
    result.reload();
    if (done > 0) void message.success(t('action.done', { action: t(`action.${action}`), n: done }));
  };

  const columns: ColumnsType<Finding> = [
    {
      title: t('col.type'),
      dataIndex: 'type',
      key: 'type',
      render: (type: string, f) => (
        <Link to={`/findings/${encodeURIComponent(f.id)}`} title={label(FINDING_TYPES, type, lang)}>
          {type}
        </Link>
      ),
    },
    {
      title: t('col.state'),
      dataIndex: 'state',
      key: 'state',
      render: (state: string) => <Tag color={FINDING_STATES[state]?.color}>{label(FINDING_STATES, state, lang)}</Tag>,
    },
    {
      title: t('col.severity'),
      dataIndex: 'severity',
      key: 'severity',
      render: (s: string) => <Tag color={SEVERITIES[s]?.color}>{label(SEVERITIES, s, lang)}</Tag>,
    },
    {
      title: t('col.branch'),
      dataIndex: 'branchId',
      key: 'branch',
      render: (branchId: string | null, f) => (branchId ? (f.branchName ? `${branchId} ${f.branchName}` : branchId) : '—'),
    },
    { title: t('col.period'), dataIndex: 'period', key: 'period' },
    {
      title: t('col.invoice'),
      key: 'invoice',
      render: (_: unknown, f) => {
        const key = invoiceKey(f.invoice);
        return key ? <Link to={`/invoices/${encodeURIComponent(key)}`}>{f.invoice?.number}</Link> : f.deviceId ?? '—';
      },
    },
    {
      title: t('col.explanation'),
      dataIndex: 'explanation',
      key: 'explanation',
      render: (_: unknown, f) => <div className="console-explanation">{findingExplanation(f, lang)}</div>,
    },
  ];

  const typeOptions = Object.keys(FINDING_TYPES).map((code) => ({ value: code, label: code, title: label(FINDING_TYPES, code, lang) }));
  const stateOptions = Object.keys(FINDING_STATES).map((code) => ({ value: code, label: label(FINDING_STATES, code, lang) }));
  const severityOptions = Object.keys(SEVERITIES).map((code) => ({ value: code, label: label(SEVERITIES, code, lang) }));
  const mayAct = can('findings:act');
  const page = result.data;

  return (
    <Card title={t('nav.findings')}>
      <Form form={form} name="findings-filters" layout="inline" className="console-filters" initialValues={filters} onValuesChange={onValuesChange}>
        <Form.Item name="taxNo" label={t('filter.taxNo')}>
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="branchId" label={t('filter.branchId')}>
          <Input allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="period" label={t('filter.period')}>
          <Input allowClear placeholder="YYYY-MM" style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="type" label={t('filter.type')}>
          <Select allowClear showSearch options={typeOptions} style={{ width: 240 }} popupMatchSelectWidth={false} />
        </Form.Item>
        <Form.Item name="state" label={t('filter.state')}>
          <Select allowClear showSearch optionFilterProp="label" options={stateOptions} style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="severity" label={t('filter.severity')}>
          <Select allowClear options={severityOptions} style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="invoiceNumber" label={t('filter.invoiceNumber')}>
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
      </Form>
      <div className="console-toolbar">
        <Space>
          {mayAct && (
            <>
              <Typography.Text type="secondary">{t('action.selected', { n: selected.length })}</Typography.Text>
              {(['retry', 'resolve', 'ignore'] as const).map((action) => (
                <Button
                  key={action}
                  disabled={!selected.some((f) => actionAllowed(action, f))}
                  onClick={() => (action === 'retry' ? void act('retry', t('defaultRetryReason')) : setPending(action))}
                >
                  {t(`action.${action}`)}
                </Button>
              ))}
            </>
          )}
        </Space>
        <Space>
          <Button onClick={result.reload}>{t('refresh')}</Button>
          <ExportButton kind="findings" query={filters} />
        </Space>
      </div>
      <Table<Finding>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={page?.items ?? []}
        loading={result.loading}
        pagination={false}
        rowClassName={() => 'console-clickable-row'}
        rowSelection={
          mayAct
            ? { selectedRowKeys: selected.map((f) => f.id), onChange: (_keys, rows) => setSelected(rows) }
            : undefined
        }
        onRow={(f) => ({
          onClick: (event) => {
            const target = event.target as HTMLElement;
            if (target.closest('a, button, input, label, .ant-checkbox-wrapper, .ant-table-selection-column')) return;
            void navigate(`/findings/${encodeURIComponent(f.id)}`);
          },
        })}
      />
      <CursorPager total={page?.total} nextCursor={page?.nextCursor} paging={paging} loading={result.loading} />
      <ReasonModal
        open={pending !== null}
        title={pending ? t(`reasonTitle.${pending}`) : ''}
        onCancel={() => setPending(null)}
        onConfirm={(reason) => (pending ? act(pending, reason) : Promise.resolve())}
      />
    </Card>
  );
}
