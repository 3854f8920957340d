import { Alert, Card, Col, Row, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { FindingSummary } from '../api/types';
import { EChart } from '../charts/echart';
import { useAsync } from '../components/use-async';
import { filingDeadline } from '../domain/format';
import { FINDING_TYPES, SEVERITIES, label } from '../domain/labels';
import { useI18n } from '../i18n/i18n';

const SEVERITY_COLORS: Record<string, string> = { critical: '#cf1322', warning: '#faad14', info: '#1677ff' };

/** Where things stand: open findings by type, severity, branch and period, and the filing deadline. */
export function OverviewPage() {
  const { t, lang } = useI18n();
  const summary = useAsync(() => api.get<FindingSummary>('reconcile', 'findings/summary'), 'summary');
  const s = summary.data ?? {};
  const deadline = filingDeadline();
  const byType = useMemo(() => Object.entries(s.byType ?? {}).filter(([, n]) => n > 0), [s.byType]);
  const bySeverity = useMemo(() => Object.entries(s.bySeverity ?? {}).filter(([, n]) => n > 0), [s.bySeverity]);
  const openCount = Object.entries(s.byState ?? {})
    .filter(([state]) => state === 'open' || state === 'remediating' || state === 'escalated')
    .reduce((sum, [, n]) => sum + n, 0);
  const notCleared = (s.byType?.CLEAR_CARD_OVERDUE ?? 0) + (s.byType?.CLEAR_CARD_FAILED ?? 0);

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
      xAxis: { type: 'category', data: rows.map((r) => r.branchId) },
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
      <Col xs={24} md={6}>
        <Card>
          <Statistic title={t('overview.deadline')} value={t('overview.deadlineDays', { n: deadline.daysLeft })} suffix={<Typography.Text type="secondary"> {deadline.date}</Typography.Text>} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('overview.deadlineNote')}
          </Typography.Text>
        </Card>
      </Col>
      <Col xs={24} md={6}>
        <Card>
          <Statistic
            title={<Link to="/findings?type=CLEAR_CARD_OVERDUE">{t('overview.notCleared')}</Link>}
            value={notCleared}
            loading={summary.loading}
          />
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
        <Card title={t('overview.breakers')}>
          <Alert type="info" showIcon title={t('overview.breakersUnavailable')} />
        </Card>
      </Col>
    </Row>
  );
}
