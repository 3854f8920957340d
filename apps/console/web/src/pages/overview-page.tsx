import { Alert, Card, Col, List, Row, Statistic, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { FindingSummary } from '../api/types';
import { EChart } from '../charts/echart';
import { useAsync } from '../components/use-async';
import { filingDeadline, formatTime } from '../domain/format';
import { FINDING_TYPES, SEVERITIES, label } from '../domain/labels';
import { useI18n, type Translate } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';
import type { CompliancePage } from './device-compliance';

const SEVERITY_COLORS: Record<string, string> = { critical: '#cf1322', warning: '#faad14', info: '#1677ff' };

type BreakerState = 'closed' | 'half-open' | 'open';
/** sync's `GET /v1/targets`. */
interface TargetsAnswer {
  items: {
    target: string;
    breaker: BreakerState;
    since?: string | null;
    stats?: { successes: number; failures: number; timeouts: number; rejects: number };
  }[];
}
const BREAKER_COLORS: Record<BreakerState, string> = { closed: 'green', 'half-open': 'orange', open: 'red' };
const TARGET_NAMES: Record<string, MessageKey> = {
  authority: 'overview.target.authority',
  baiwang: 'overview.target.baiwang',
  nuonuo: 'overview.target.nuonuo',
};

/** Each target sync knows with its breaker's state (a registered plug-in target by its own name). */
function BreakersCard({ t }: { t: Translate }) {
  const targets = useAsync(() => api.get<TargetsAnswer>('sync', 'targets'), 'targets', true);
  return (
    <Card title={t('overview.breakers')} data-testid="target-breakers">
      {targets.error ? (
        <Alert type="warning" showIcon title={t('overview.breakersError')} />
      ) : (
        <List
          size="small"
          loading={targets.loading}
          dataSource={targets.data?.items ?? []}
          renderItem={(item) => (
            <List.Item>
              <Typography.Text strong>{TARGET_NAMES[item.target] ? t(TARGET_NAMES[item.target]) : item.target}</Typography.Text>
              <span>
                {item.stats && (
                  <Typography.Text type="secondary" style={{ fontSize: 12, marginRight: 8 }}>
                    {t('overview.breakerStats', { successes: item.stats.successes, failures: item.stats.failures, rejects: item.stats.rejects })}
                  </Typography.Text>
                )}
                {item.since && (
                  <Typography.Text type="secondary" style={{ fontSize: 12, marginRight: 8 }}>
                    {t('overview.breakerSince', { time: formatTime(item.since) })}
                  </Typography.Text>
                )}
                <Tag color={BREAKER_COLORS[item.breaker]}>{t(`overview.breaker.${item.breaker}`)}</Tag>
              </span>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** Where things stand: open findings by type, severity, branch and period, and the filing deadline. */
export function OverviewPage() {
  const { t, lang } = useI18n();
  const summary = useAsync(() => api.get<FindingSummary>('reconcile', 'findings/summary'), 'summary');
  const s = summary.data ?? {};
  // reconcile's filing calendar (holiday moves included) and the devices still to clear the period due; the console's
  // own 15th-of-the-month guess only when reconcile cannot answer
  const notClearedPage = useAsync(() => api.get<CompliancePage>('reconcile', 'devices', { cleared: 'false', limit: 10 }), 'devices-not-cleared');
  const filing = notClearedPage.data?.filing;
  const guess = filingDeadline();
  const deadline = filing ? { date: filing.deadline, daysLeft: filing.daysLeft ?? guess.daysLeft } : guess;
  const notClearedDevices = notClearedPage.data?.items ?? [];
  const byType = useMemo(() => Object.entries(s.byType ?? {}).filter(([, n]) => n > 0), [s.byType]);
  const bySeverity = useMemo(() => Object.entries(s.bySeverity ?? {}).filter(([, n]) => n > 0), [s.bySeverity]);
  const openCount = Object.entries(s.byState ?? {})
    .filter(([state]) => state === 'open' || state === 'remediating' || state === 'escalated')
    .reduce((sum, [, n]) => sum + n, 0);

  const typeOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 190, right: 24, top: 8, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: byType.map(([type]) => type), axisLabel: { fontSize: 11 } },
      series: [{ type: 'bar', data: byType.map(([type, n]) => ({ value: n, name: label(FINDING_TYPES, type, lang) })), itemStyle: { color: '#1677ff' } }],
    }),
    [byType, lang],
  );
  const severityOption = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          data: bySeverity.map(([sev, n]) => ({ name: label(SEVERITIES, sev, lang), value: n, itemStyle: { color: SEVERITY_COLORS[sev] } })),
        },
      ],
    }),
    [bySeverity, lang],
  );
  const branchOption = useMemo(() => {
    const rows = s.byBranch ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: 48 },
      // Findings with no branch (invoices only the authority has) are one bar, named as such.
      xAxis: { type: 'category', data: rows.map((r) => r.branchId ?? t('overview.noBranch')) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('overview.open'), type: 'bar', data: rows.map((r) => r.open) },
        { name: t('overview.totalSeries'), type: 'bar', data: rows.map((r) => r.total) },
      ],
    };
  }, [s.byBranch, t]);
  const periodOption = useMemo(() => {
    const rows = [...(s.byPeriod ?? [])].sort((a, b) => a.period.localeCompare(b.period));
    return {
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: rows.map((r) => r.period) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('overview.open'), type: 'line', data: rows.map((r) => r.open) },
        { name: t('overview.totalSeries'), type: 'line', data: rows.map((r) => r.total) },
      ],
    };
  }, [s.byPeriod, t]);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={6}>
        <Card>
          <Statistic title={<Link to="/findings?state=open">{t('overview.openFindings')}</Link>} value={openCount} loading={summary.loading} />
        </Card>
      </Col>
      <Col xs={24} md={6}>
        <Card>
          <Statistic title={t('overview.critical')} value={s.bySeverity?.critical ?? 0} valueStyle={{ color: '#cf1322' }} loading={summary.loading} />
        </Card>
      </Col>
      <Col xs={24} md={12}>
        <Card data-testid="filing-deadline">
          <Row gutter={16}>
            <Col span={12}>
              <Statistic
                title={t('overview.deadline')}
                value={deadline.daysLeft < 0 ? t('overview.deadlinePassed') : t('overview.deadlineDays', { n: deadline.daysLeft })}
                valueStyle={deadline.daysLeft <= 3 ? { color: '#cf1322' } : undefined}
                loading={notClearedPage.loading}
              />
              <Typography.Text>{deadline.date}</Typography.Text>
              {filing && (
                <Typography.Text type="secondary"> · {t('overview.deadlinePeriod', { period: filing.period })}</Typography.Text>
              )}
              <br />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {filing ? t('overview.deadlineFromCalendar') : t('overview.deadlineNote')}
              </Typography.Text>
            </Col>
            <Col span={12}>
              <Statistic
                title={<Link to="/devices">{t('overview.notCleared')}</Link>}
                value={notClearedPage.data?.total ?? '—'}
                valueStyle={(notClearedPage.data?.total ?? 0) > 0 ? { color: '#cf1322' } : undefined}
                loading={notClearedPage.loading}
              />
              <List
                size="small"
                data-testid="devices-not-cleared"
                dataSource={notClearedDevices}
                locale={{ emptyText: notClearedPage.data ? t('overview.allCleared') : '—' }}
                renderItem={(d) => (
                  <List.Item>
                    <Link to={`/devices/${encodeURIComponent(d.deviceId)}`}>{d.deviceNo ? `${d.deviceId} (${d.deviceNo})` : d.deviceId}</Link>
                    <Typography.Text type="secondary">{d.branchId}</Typography.Text>
                  </List.Item>
                )}
              />
              {(notClearedPage.data?.total ?? 0) > notClearedDevices.length && (
                <Link to="/devices">{t('overview.moreDevices', { n: (notClearedPage.data?.total ?? 0) - notClearedDevices.length })}</Link>
              )}
            </Col>
          </Row>
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('overview.byType')}>
          <EChart option={typeOption} label={t('overview.byType')} />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('overview.bySeverity')}>
          <EChart option={severityOption} label={t('overview.bySeverity')} />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('overview.byBranch')}>
          <EChart option={branchOption} label={t('overview.byBranch')} />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title={t('overview.byPeriod')}>
          <EChart option={periodOption} label={t('overview.byPeriod')} />
        </Card>
      </Col>
      <Col xs={24}>
        <BreakersCard t={t} />
      </Col>
    </Row>
  );
}
