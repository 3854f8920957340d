import { Drawer, Space, Table, Tag, Typography } from 'antd';
import { api } from '../api/client';
import type { ReceivedCheckView } from '@lib/contracts/received';
import { useAsync } from '../components/use-async';
import { actorName, formatTime } from '../domain/format';
import { RESULT_COLORS, wordsFor, type ReceivedTexts } from './received-texts';

/** One 查验 as reconcile records it (`GET /v1/received-invoices/{id}/checks`). */
export type ReceivedCheck = ReceivedCheckView;

/** A check's result as a coloured tag, in words. */
export function ResultTag({ result, texts }: { result: string; texts: ReceivedTexts }) {
  return (
    <Tag color={RESULT_COLORS[result] ?? 'default'} data-testid="check-result">
      {wordsFor(texts, 'result', result)}
    </Tag>
  );
}

/**
 * The checks of one received invoice, newest first: when, who or what asked, the result, the service that answered with
 * its return code and message, and the invoice's status at the authority. `version` reloads it (after a check now).
 */
export function ReceivedChecksDrawer(props: {
  invoice: { id: string; invoiceKey: string } | null;
  version: number;
  texts: ReceivedTexts;
  onClose: () => void;
}) {
  const r = props.texts;
  const id = props.invoice?.id;
  const result = useAsync(
    () =>
      id
        ? api.get<{ items: ReceivedCheck[] }>('reconcile', `received-invoices/${encodeURIComponent(id)}/checks`)
        : Promise.resolve({ items: [] }),
    `${id ?? ''}|${props.version}`,
  );
  return (
    <Drawer
      open={props.invoice !== null}
      title={r('checksTitle', { key: props.invoice?.invoiceKey ?? '' })}
      size="large"
      onClose={props.onClose}
      destroyOnHidden
    >
      <Table<ReceivedCheck>
        rowKey="id"
        size="small"
        loading={result.loading}
        pagination={false}
        dataSource={result.data?.items ?? []}
        locale={{ emptyText: r('noChecks') }}
        onRow={(row) => ({ 'data-check-id': row.id }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: r('checkedAt'), key: 'checkedAt', render: (_: unknown, c: ReceivedCheck) => formatTime(c.checkedAt) },
          { title: r('result'), key: 'result', render: (_: unknown, c: ReceivedCheck) => <ResultTag result={c.result} texts={r} /> },
          {
            title: r('channel'),
            key: 'channel',
            render: (_: unknown, c: ReceivedCheck) => (
              <Space orientation="vertical" size={0}>
                <span data-testid="check-channel">{wordsFor(r, 'channel', c.channel)}</span>
                {(c.returnCode || c.returnMessage) && (
                  <Typography.Text type="secondary">
                    {[c.returnCode, c.returnMessage].filter(Boolean).join(' ')}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: r('authorityStatus'),
            key: 'authorityStatus',
            render: (_: unknown, c: ReceivedCheck) => wordsFor(r, 'status', c.authorityStatus),
          },
          {
            title: r('trigger'),
            key: 'trigger',
            render: (_: unknown, c: ReceivedCheck) => (
              <Space orientation="vertical" size={0}>
                <span>{wordsFor(r, 'trigger', c.trigger)}</span>
                <Typography.Text type="secondary" data-testid="check-requested-by">
                  {actorName(c.requestedBy)}
                </Typography.Text>
              </Space>
            ),
          },
        ]}
      />
    </Drawer>
  );
}
