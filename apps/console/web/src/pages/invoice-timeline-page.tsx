import { Card, Collapse, Empty, Space, Tag, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api } from '../api/client';
import type { Finding } from '../api/types';
import { KeyValueList } from '../components/key-value-list';
import { useAsync } from '../components/use-async';
import { formatTime } from '../domain/format';
import { FINDING_TYPES, label } from '../domain/labels';
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/i18n';

interface TimelineEntry {
  at: string;
  kind: string;
  summary: Record<string, unknown>;
}
interface InvoiceTimeline {
  invoiceKey: string;
  ledger: Record<string, unknown> | null;
  entries: TimelineEntry[];
}

const COLORS: Record<string, string> = { 'invoice-event': 'blue', 'sync-result': 'green', 'authority-observation': 'gray', finding: 'red' };

/** Everything that happened to one invoice: device events, deliveries, what the authority showed, findings. */
export function InvoiceTimelinePage() {
  const { key = '' } = useParams();
  const { t, lang } = useI18n();
  const result = useAsync(() => api.get<InvoiceTimeline>('reconcile', `invoices/${encodeURIComponent(key)}/timeline`), key);
  const data = result.data;
  const entries = data?.entries ?? [];
  const kindLabel = (kind: string) => {
    const k = `timeline.${kind}` as MessageKey;
    const label = t(k);
    return label === k ? kind : label;
  };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t('invoice.timeline', { key })} loading={result.loading}>
        {entries.length === 0 ? (
          <Empty description={t('invoice.noEntries')} />
        ) : (
          <Timeline
            items={entries.map((entry, i) => {
              const finding = entry.kind === 'finding' ? (entry.summary as unknown as Finding) : null;
              return {
                key: `${entry.at}-${i}`,
                color: COLORS[entry.kind] ?? 'blue',
                content: (
                  <div>
                    <Space wrap>
                      <Typography.Text strong>{formatTime(entry.at)}</Typography.Text>
                      <Tag>{kindLabel(entry.kind)}</Tag>
                      {finding && (
                        <Link to={`/findings/${encodeURIComponent(finding.id)}`}>
                          {finding.type} · {label(FINDING_TYPES, finding.type, lang)} ({finding.state})
                        </Link>
                      )}
                    </Space>
                    {finding ? (
                      <div>{finding.explanation}</div>
                    ) : (
                      <Collapse
                        ghost
                        size="small"
                        items={[{ key: 'd', label: Object.entries(entry.summary).slice(0, 3).map(([k, v]) => `${k}: ${String(v)}`).join(' · '), children: <KeyValueList value={entry.summary} /> }]}
                      />
                    )}
                  </div>
                ),
              };
            })}
          />
        )}
      </Card>
      {data?.ledger && (
        <Card title={t('invoice.ledger')}>
          <KeyValueList value={data.ledger} />
        </Card>
      )}
    </Space>
  );
}
