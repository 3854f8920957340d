import { Button, Card, DatePicker, Form, Input, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api/client';
import type { Page, Row } from '../api/types';
import { CursorPager, useCursorStack } from '../components/cursor-pager';
import { ExportButton } from '../components/export-button';
import { useAsync } from '../components/use-async';
import { formatTime, text } from '../domain/format';
import { invoiceTypeName } from '../domain/labels';
import { useI18n } from '../i18n/i18n';

const FIELDS = ['number', 'code', 'from', 'to', 'branchId', 'deviceId', 'buyer'] as const;
type Search = Partial<Record<(typeof FIELDS)[number], string>>;
interface FormValues {
  number?: string;
  code?: string;
  branchId?: string;
  deviceId?: string;
  buyer?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** The ledger's invoices by number, code, issue date, branch, device and buyer; each opens its timeline. */
export function InvoicesPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const search = useMemo(() => {
    const s: Search = {};
    for (const name of FIELDS) if (params.get(name)) s[name] = params.get(name) ?? undefined;
    return s;
  }, [params]);
  const searchKey = JSON.stringify(search);
  const paging = useCursorStack(searchKey);
  const result = useAsync(
    () => api.get<Page<Row>>('reconcile', 'invoices', { ...search, cursor: paging.cursor, limit: 50 }),
    `${searchKey}|${paging.cursor ?? ''}`,
  );
  const [form] = Form.useForm<FormValues>();
  const initial: FormValues = {
    ...search,
    range: search.from || search.to ? [search.from ? dayjs(search.from) : null, search.to ? dayjs(search.to) : null] : null,
  };
  const submit = (values: FormValues) => {
    const next = new URLSearchParams(params);
    const flat: Search = {
      number: values.number,
      code: values.code,
      branchId: values.branchId,
      deviceId: values.deviceId,
      buyer: values.buyer,
      from: values.range?.[0]?.format('YYYY-MM-DD'),
      to: values.range?.[1]?.format('YYYY-MM-DD'),
    };
    for (const name of FIELDS) {
      const value = flat[name]?.trim();
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setParams(next);
  };
  const page = result.data;
  return (
    <Card title={t('nav.invoices')} extra={<ExportButton kind="invoices" query={search} />}>
      <Form form={form} name="invoice-search" layout="inline" className="console-filters" initialValues={initial} onFinish={submit}>
        <Form.Item name="number" label={t('invoice.number')}>
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="code" label={t('invoice.code')}>
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="range" label={t('invoice.dateRange')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item name="branchId" label={t('invoice.branch')}>
          <Input allowClear style={{ width: 110 }} />
        </Form.Item>
        <Form.Item name="deviceId" label={t('invoice.device')}>
          <Input allowClear style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="buyer" label={t('invoice.buyer')}>
          <Input allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setParams(new URLSearchParams(params.get('lang') ? { lang: params.get('lang') ?? '' } : {}));
              }}
            >
              {t('reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      <Table<Row>
        rowKey={(r) => String(r.key ?? `${text(r.code)}-${text(r.number)}`)}
        size="middle"
        loading={result.loading}
        pagination={false}
        dataSource={page?.items ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('invoice.number'),
            key: 'number',
            render: (_: unknown, r) => <Link to={`/invoices/${encodeURIComponent(String(r.key ?? r.number))}`}>{text(r.number)}</Link>,
          },
          { title: t('invoice.code'), dataIndex: 'code', key: 'code', render: text },
          { title: t('invoice.type'), dataIndex: 'type', key: 'type', render: (v: string) => invoiceTypeName(v, lang) },
          { title: t('invoice.issuedAt'), dataIndex: 'issuedAt', key: 'issuedAt', render: (v: string) => formatTime(v) },
          { title: t('invoice.branch'), dataIndex: 'branchId', key: 'branchId', render: text },
          { title: t('invoice.device'), dataIndex: 'deviceId', key: 'deviceId', render: text },
          { title: t('invoice.buyer'), key: 'buyer', render: (_: unknown, r) => text(r.buyerName ?? r.buyerTaxNo) },
          { title: t('invoice.amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: text },
          { title: t('invoice.tax'), dataIndex: 'taxAmount', key: 'taxAmount', align: 'right', render: text },
          { title: t('invoice.totalAmount'), dataIndex: 'totalAmount', key: 'totalAmount', align: 'right', render: text },
          {
            title: t('invoice.status'),
            dataIndex: 'status',
            key: 'status',
            render: (v: string, r) => (
              <Space size={4}>
                <Tag color={r.colour === 'red' ? 'red' : 'blue'}>{text(v)}</Tag>
                {r.source === 'authority' && <Tag>authority</Tag>}
              </Space>
            ),
          },
        ]}
      />
      <CursorPager total={page?.total} nextCursor={page?.nextCursor} paging={paging} loading={result.loading} />
    </Card>
  );
}
