import { App, Button, Card, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/api-error';
import { api } from '../api/client';
import type { ReceivedInvoiceView } from '@lib/contracts/received';
import type { Page } from '../api/types';
import { CursorPager, useCursorStack } from '../components/cursor-pager';
import { useReportError } from '../components/notify';
import { pageTableProps } from '../components/page-table';
import { useUrlFilters } from '../components/url-filters';
import { useAsync } from '../components/use-async';
import { spinnerWhile } from '../components/busy';
import { actorName, formatTime } from '../domain/format';
import { invoiceTypeName } from '../domain/labels';
import { useI18n } from '../i18n/i18n';
import { useCan } from '../session/session';
import { ReceivedChecksDrawer, ResultTag, type ReceivedCheck } from './received-checks';
import { ReceivedInvoiceForm, type ReceivedInvoiceBody } from './received-invoice-form';
import { CHECK_RESULTS, receivedTexts, wordsFor } from './received-texts';

/** A received invoice as reconcile's `GET /v1/received-invoices` lists it (docs/received-invoices.md, "API"). */
type ReceivedInvoice = ReceivedInvoiceView;

const FILTERS = ['taxNo', 'branchId', 'period', 'result'] as const;

/**
 * 进项发票 / Received invoices within the person's branches (the service applies the scope), newest registration first,
 * with the last 查验 result. People holding findings:act (clerks, finance managers, admins) register an invoice and
 * check one now; everyone who reads invoices sees each one's checks. A check the day's quota refuses says so with its
 * code (QUOTA_EXHAUSTED: nothing was sent).
 */
export function ReceivedPage() {
  const { lang, t } = useI18n();
  const r = receivedTexts(lang);
  const can = useCan();
  const act = can('findings:act');
  const report = useReportError();
  const { message, notification } = App.useApp();
  const url = useUrlFilters();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, url.get(name)]));
  const key = FILTERS.map((name) => filters[name] ?? '').join('|');
  const paging = useCursorStack(key);
  const result = useAsync(
    () => api.get<Page<ReceivedInvoice>>('reconcile', 'received-invoices', { ...filters, cursor: paging.cursor, limit: 50 }),
    `${key}|${paging.cursor ?? ''}`,
  );
  const [registering, setRegistering] = useState(false);
  const [viewing, setViewing] = useState<ReceivedInvoice | null>(null);
  const [checking, setChecking] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const setFilter = (name: (typeof FILTERS)[number], value: string | undefined) => url.set(name, value);
  const register = async (body: ReceivedInvoiceBody) => {
    const answer = await api.post<{ status: 'created' | 'existing'; receivedInvoice: ReceivedInvoice }>(
      'reconcile',
      'received-invoices',
      body,
    );
    setRegistering(false);
    void message.success(r(answer.status === 'created' ? 'registered' : 'alreadyRegistered'));
    result.reload();
  };
  const checkNow = async (row: ReceivedInvoice) => {
    setChecking(row.id);
    try {
      const { check } = await api.post<{ check: ReceivedCheck }>(
        'reconcile',
        `received-invoices/${encodeURIComponent(row.id)}/checks`,
        {},
      );
      void message.success(r('checked', { result: wordsFor(r, 'result', check.result) }));
      setVersion((n) => n + 1);
      result.reload();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'QUOTA_EXHAUSTED') {
        const time = e.retryAfterSeconds ? formatTime(new Date(Date.now() + e.retryAfterSeconds * 1000).toISOString()) : r('quotaTomorrow');
        notification.error({ title: t('errorTitle'), description: `${r('quotaExhausted', { time })} (${e.code})` });
      } else report(e);
    } finally {
      setChecking(null);
    }
  };
  // a filter the service refuses (a period not YYYY-MM) comes back as its 400 with the field and code
  const textFilter = (name: 'taxNo' | 'branchId' | 'period', label: string) => (
    <Form.Item label={label} htmlFor={`received-${name}`}>
      <Input
        id={`received-${name}`}
        allowClear
        defaultValue={filters[name]}
        placeholder={name === 'period' ? r('periodHelp') : undefined}
        onPressEnter={(e) => setFilter(name, e.currentTarget.value.trim() || undefined)}
        onBlur={(e) => setFilter(name, e.currentTarget.value.trim() || undefined)}
        style={{ width: name === 'period' ? 120 : 200 }}
      />
    </Form.Item>
  );
  return (
    <Card
      title={r('title')}
      extra={
        act ? (
          <Button type="primary" onClick={() => setRegistering(true)}>
            {r('register')}
          </Button>
        ) : null
      }
    >
      <Form layout="inline" className="console-filters" name="received-filters">
        {textFilter('taxNo', r('taxNo'))}
        {textFilter('branchId', r('branch'))}
        {textFilter('period', r('period'))}
        <Form.Item label={r('result')} htmlFor="received-result">
          <Select
            id="received-result"
            allowClear
            placeholder={r('allResults')}
            value={filters.result}
            onChange={(v?: string) => setFilter('result', v)}
            style={{ width: 200 }}
            options={CHECK_RESULTS.map((x) => ({ value: x, label: wordsFor(r, 'result', x) }))}
          />
        </Form.Item>
      </Form>
      <Table<ReceivedInvoice>
        {...pageTableProps(result, 'data-received-id')}
        columns={[
          {
            title: r('result'),
            key: 'result',
            render: (_: unknown, i: ReceivedInvoice) =>
              i.lastResult ? (
                <Space orientation="vertical" size={0}>
                  <ResultTag result={i.lastResult} texts={r} />
                  <Typography.Text type="secondary">
                    {wordsFor(r, 'channel', i.lastChannel)} · {formatTime(i.lastCheckedAt)}
                  </Typography.Text>
                </Space>
              ) : (
                <Typography.Text type="secondary" data-testid="check-result">
                  {r('notChecked')}
                </Typography.Text>
              ),
          },
          {
            title: r('invoice'),
            key: 'invoice',
            render: (_: unknown, i: ReceivedInvoice) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text code>{[i.code, i.number].filter(Boolean).join(' ')}</Typography.Text>
                <Typography.Text type="secondary">{invoiceTypeName(i.type, lang)}</Typography.Text>
              </Space>
            ),
          },
          {
            title: r('seller'),
            key: 'seller',
            render: (_: unknown, i: ReceivedInvoice) => (
              <Space orientation="vertical" size={0}>
                <span>{i.sellerName}</span>
                <Typography.Text type="secondary">{i.sellerTaxNo}</Typography.Text>
              </Space>
            ),
          },
          { title: r('taxNo'), dataIndex: 'taxNo', key: 'taxNo' },
          { title: r('branch'), dataIndex: 'branchId', key: 'branchId' },
          { title: r('issuedAt'), key: 'issuedAt', render: (_: unknown, i: ReceivedInvoice) => formatTime(i.issuedAt) },
          { title: r('amount'), dataIndex: 'amount', key: 'amount', align: 'right' as const },
          { title: r('taxAmount'), dataIndex: 'taxAmount', key: 'taxAmount', align: 'right' as const },
          { title: r('totalAmount'), dataIndex: 'totalAmount', key: 'totalAmount', align: 'right' as const },
          {
            title: r('registeredBy'),
            key: 'registeredBy',
            render: (_: unknown, i: ReceivedInvoice) => (
              <Space orientation="vertical" size={0}>
                <span>{actorName(i.registeredBy)}</span>
                <Typography.Text type="secondary">{formatTime(i.registeredAt)}</Typography.Text>
              </Space>
            ),
          },
          { title: r('nextCheckAt'), key: 'nextCheckAt', render: (_: unknown, i: ReceivedInvoice) => formatTime(i.nextCheckAt) },
          {
            title: r('actions'),
            key: 'actions',
            render: (_: unknown, i: ReceivedInvoice) => (
              <Space>
                <Button size="small" onClick={() => setViewing(i)}>
                  {r('checks')}
                </Button>
                {act && (
                  <Button size="small" type="primary" loading={spinnerWhile(checking === i.id)} onClick={() => void checkNow(i)}>
                    {r('checkNow')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <CursorPager nextCursor={result.data?.nextCursor} paging={paging} loading={result.loading} />
      <ReceivedInvoiceForm
        open={registering}
        texts={r}
        buyerTaxNo={filters.taxNo}
        onCancel={() => setRegistering(false)}
        onConfirm={register}
      />
      <ReceivedChecksDrawer invoice={viewing} version={version} texts={r} onClose={() => setViewing(null)} />
    </Card>
  );
}
