import { App, Button, Card, Descriptions, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/api-error';
import { api } from '../api/client';
import type { Finding, HistoryEntry } from '../api/types';
import { KeyValueList } from '../components/key-value-list';
import { useReportError } from '../components/notify';
import { ReasonModal } from '../components/reason-modal';
import { useAsync } from '../components/use-async';
import { actorName, formatTime } from '../domain/format';
import { findingExplanation } from '../domain/finding-explanation';
import { FINDING_ACTIONS, FINDING_STATES, FINDING_TYPES, SEVERITIES, invoiceKey, invoiceTypeName, label } from '../domain/labels';
import { useI18n } from '../i18n/i18n';
import { useCan } from '../session/session';
import { actionAllowed, type FindingActionName } from './finding-actions';

/** The findings a red-letter correction settles (docs/corrections.md): the corrections page proposes one for them. */
const CORRECTABLE = ['AMOUNT_MISMATCH', 'STATUS_MISMATCH'];

function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.code === 'FINDING_NOT_FOUND');
}

/** One finding: its fields, why (explanation and evidence), its history, and the actions the person may take. */
export function FindingDetailPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const can = useCan();
  const report = useReportError();
  const { message } = App.useApp();
  const [pending, setPending] = useState<FindingActionName | null>(null);
  const [finding, setFinding] = useState<Finding | null>(null);
  const result = useAsync(
    () => api.get<Finding>('reconcile', `findings/${encodeURIComponent(id)}`).then((f) => (setFinding(f), f)),
    id,
    true,
  );
  if (result.error && isNotFound(result.error)) {
    return (
      <Result
        status="404"
        title={t('finding.notFound')}
        subTitle={t('finding.notFoundHint')}
        extra={<Link to="/findings">{t('finding.back')}</Link>}
      />
    );
  }
  if (result.error) {
    const e = result.error;
    return <Result status="error" title={t('errorTitle')} subTitle={e instanceof ApiError ? `${e.message} (${e.code})` : String(e)} />;
  }
  const f = result.data && finding?.id === result.data.id ? finding : result.data;
  if (!f) return <Spin size="large" style={{ display: 'block', margin: 48 }} />;

  const act = async (action: FindingActionName, reason: string) => {
    try {
      const updated = await api.post<Finding>('reconcile', `findings/${encodeURIComponent(f.id)}/actions`, { action, reason });
      setPending(null);
      if (updated && updated.id) setFinding(updated);
      void message.success(`${t(`action.${action}`)} · ${t('done')}`);
      result.reload();
    } catch (e) {
      report(e);
    }
  };
  const key = invoiceKey(f.invoice);
  const history = [...(f.history ?? [])].sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <span>{t('finding.title')}</span>
            <Typography.Text code>{f.type}</Typography.Text>
          </Space>
        }
        extra={
          can('findings:act') && (
            <Space>
              {(['retry', 'resolve', 'ignore'] as const).map((action) => (
                <Button
                  key={action}
                  type={action === 'resolve' ? 'primary' : 'default'}
                  disabled={!actionAllowed(action, f)}
                  onClick={() => (action === 'retry' ? void act('retry', t('defaultRetryReason')) : setPending(action))}
                >
                  {t(`action.${action}`)}
                </Button>
              ))}
              {CORRECTABLE.includes(f.type) && (
                <Link to={`/corrections?propose=${encodeURIComponent(f.id)}`}>{t('finding.proposeCorrection')}</Link>
              )}
            </Space>
          )
        }
      >
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('col.type')}>
            {f.type} · {label(FINDING_TYPES, f.type, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={t('col.state')}>
            <Tag color={FINDING_STATES[f.state]?.color} data-testid="finding-state">
              {label(FINDING_STATES, f.state, lang)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('col.severity')}>
            <Tag color={SEVERITIES[f.severity]?.color}>{label(SEVERITIES, f.severity, lang)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('col.taxpayer')}>{f.taxNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('col.branch')}>{f.branchId ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('col.period')}>{f.period ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('col.invoice')}>
            {f.invoice ? (
              <Space wrap>
                <span>{invoiceTypeName(f.invoice.type, lang)}</span>
                {f.invoice.code && <Typography.Text code>{f.invoice.code}</Typography.Text>}
                <Typography.Text code>{f.invoice.number}</Typography.Text>
                {key && <Link to={`/invoices/${encodeURIComponent(key)}`}>{t('finding.timeline')}</Link>}
              </Space>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('col.device')}>
            {f.deviceId ? <Link to={`/devices/${encodeURIComponent(f.deviceId)}`}>{f.deviceId}</Link> : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('finding.attempts')}>{f.remediationAttempts ?? 0}</Descriptions.Item>
          <Descriptions.Item label={t('col.createdAt')}>{formatTime(f.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('col.updatedAt')}>{formatTime(f.updatedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('col.explanation')} span={2}>
            <span data-testid="finding-explanation">{findingExplanation(f, lang)}</span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('finding.evidence')}>
        <KeyValueList value={f.evidence} />
      </Card>
      <Card title={t('finding.history')}>
        <Table<HistoryEntry>
          size="small"
          pagination={false}
          rowKey={(h, i) => `${h.at ?? ''}-${i}`}
          dataSource={history}
          columns={[
            { title: t('history.when'), dataIndex: 'at', key: 'at', render: (at: string) => formatTime(at) },
            { title: t('history.action'), dataIndex: 'action', key: 'action', render: (a: string) => label(FINDING_ACTIONS, a, lang) },
            { title: t('history.actor'), dataIndex: 'actor', key: 'actor', render: (a: HistoryEntry['actor']) => actorName(a) },
            { title: t('history.reason'), dataIndex: 'reason', key: 'reason', render: (r: string | null) => r || '—' },
            {
              title: t('history.state'),
              key: 'state',
              render: (_: unknown, h) => `${label(FINDING_STATES, h.fromState, lang)} → ${label(FINDING_STATES, h.toState, lang)}`,
            },
          ]}
        />
      </Card>
      <ReasonModal
        open={pending !== null}
        title={pending ? t(`reasonTitle.${pending}`) : ''}
        onCancel={() => setPending(null)}
        onConfirm={(reason) => (pending ? act(pending, reason) : Promise.resolve())}
      />
    </Space>
  );
}
