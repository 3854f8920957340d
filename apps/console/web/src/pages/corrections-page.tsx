import { App, Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/client';
import type { Actor, Page } from '../api/types';
import { CursorPager, useCursorStack } from '../components/cursor-pager';
import { useReportError } from '../components/notify';
import { ReasonModal } from '../components/reason-modal';
import { pageTableProps } from '../components/page-table';
import { useUrlFilters } from '../components/url-filters';
import { useAsync } from '../components/use-async';
import { actorName, formatTime, text } from '../domain/format';
import { useI18n } from '../i18n/i18n';
import { useCan, useSession } from '../session/session';
import { ApproveModal, ProposeCorrectionForm, ReissueForm, type ProposalBody, type ReissueBody } from './correction-forms';
import { CORRECTION_STATES, correctionTexts, type CorrectionText } from './corrections-texts';

/** A correction as reconcile's `GET /v1/corrections` lists it (docs/corrections.md, "API"). */
interface Correction {
  id: string;
  findingId: string;
  state: string;
  taxNo: string;
  branchId: string | null;
  invoiceKey: string;
  reasonCode: string | null;
  original: { code: string | null; number: string } | null;
  amount: string | null;
  taxAmount: string | null;
  totalAmount: string | null;
  reissue: boolean;
  reissueInvoiceKey?: string | null;
  proposedBy: Actor | null;
  proposalNote: string | null;
  decidedBy: Actor | null;
  decidedAt: string | null;
  decisionReason: string | null;
  form: { formId: string; state: string | null; stateAt: string | null } | null;
  redInvoiceKey: string | null;
  updatedAt: string;
}

/** Where a correction takes no re-issue any more: it is over (reconcile's correction-reissue.service.ts). */
const ENDED = ['completed', 'rejected', 'refused', 'void', 'withdrawn', 'closed'];

const STATE_COLORS: Record<string, string> = {
  proposed: 'gold',
  approved: 'blue',
  submitted: 'processing',
  confirmed: 'cyan',
  completed: 'green',
  rejected: 'red',
  refused: 'red',
  void: 'volcano',
  withdrawn: 'default',
  closed: 'default',
  'awaiting-form': 'default',
};

/**
 * 红字确认单 / Red-letter corrections within the person's branches (the service applies the scope): state, the form's
 * state at the authority (01-10), the original, the amounts reversed, the reason, who proposed and who decided. People
 * holding corrections:approve approve or reject a proposal that is not their own; on their own the buttons are disabled
 * and the row says why (the service refuses it as well: 403 SELF_APPROVAL).
 */
export function CorrectionsPage() {
  const { lang } = useI18n();
  const c = correctionTexts(lang);
  const me = useSession();
  const can = useCan();
  const report = useReportError();
  const { message } = App.useApp();
  const url = useUrlFilters();
  const state = url.get('state');
  const taxNo = url.get('taxNo');
  const key = `${state ?? ''}|${taxNo ?? ''}`;
  const paging = useCursorStack(key);
  const result = useAsync(
    () => api.get<Page<Correction>>('reconcile', 'corrections', { state, taxNo, cursor: paging.cursor, limit: 50 }),
    `${key}|${paging.cursor ?? ''}`,
  );
  const [approving, setApproving] = useState<Correction | null>(null);
  const [rejecting, setRejecting] = useState<Correction | null>(null);
  // `?propose=<finding id>` (the finding page's link) opens the proposal for that finding
  const proposeFor = url.get('propose');
  const [proposing, setProposing] = useState(proposeFor !== undefined);
  const [reissuing, setReissuing] = useState<Correction | null>(null);
  const act = can('findings:act');
  const setFilter = url.set;
  const decide = async (row: Correction, decision: 'approve' | 'reject', reason: string | undefined) => {
    try {
      await api.post('reconcile', `corrections/${encodeURIComponent(row.id)}/${decision}`, reason ? { reason } : {});
      setApproving(null);
      setRejecting(null);
      void message.success(c(decision === 'approve' ? 'approved' : 'rejected'));
      result.reload();
    } catch (e) {
      report(e);
    }
  };
  const closeProposal = () => {
    setProposing(false);
    if (proposeFor !== undefined) setFilter('propose', undefined);
  };
  const propose = async (body: ProposalBody) => {
    await api.post('reconcile', 'corrections', body);
    closeProposal();
    void message.success(c('proposed'));
    result.reload();
  };
  const nameReissue = async (row: Correction, body: ReissueBody) => {
    await api.post('reconcile', `corrections/${encodeURIComponent(row.id)}/reissue`, body);
    setReissuing(null);
    void message.success(c('reissueNamed'));
    result.reload();
  };
  const own = (row: Correction) => row.proposedBy?.kind === 'person' && row.proposedBy.subject === me.subject;
  const stateLabel = (s: string) => (CORRECTION_STATES.includes(s as never) ? c(`state.${s}` as CorrectionText) : s);
  return (
    <Card
      title={c('title')}
      extra={
        act ? (
          <Button type="primary" onClick={() => setProposing(true)}>
            {c('propose')}
          </Button>
        ) : null
      }
    >
      <Form layout="inline" className="console-filters" name="correction-filters">
        <Form.Item label={c('state')} htmlFor="correction-state">
          <Select
            id="correction-state"
            allowClear
            placeholder={c('all')}
            value={state}
            onChange={(v?: string) => setFilter('state', v)}
            style={{ width: 180 }}
            options={CORRECTION_STATES.map((s) => ({ value: s, label: stateLabel(s) }))}
          />
        </Form.Item>
        <Form.Item label={c('taxpayer')} htmlFor="correction-taxno">
          <Input
            id="correction-taxno"
            allowClear
            defaultValue={taxNo}
            onPressEnter={(e) => setFilter('taxNo', e.currentTarget.value.trim() || undefined)}
            onBlur={(e) => setFilter('taxNo', e.currentTarget.value.trim() || undefined)}
            style={{ width: 220 }}
          />
        </Form.Item>
      </Form>
      <Table<Correction>
        {...pageTableProps(result, 'data-correction-id')}
        columns={[
          {
            title: c('state'),
            key: 'state',
            render: (_: unknown, r: Correction) => (
              <Tag color={STATE_COLORS[r.state]} data-testid="correction-state">
                {stateLabel(r.state)}
              </Tag>
            ),
          },
          {
            title: c('form'),
            key: 'form',
            render: (_: unknown, r: Correction) =>
              r.form ? (
                <Space direction="vertical" size={0}>
                  <Typography.Text code>{r.form.formId}</Typography.Text>
                  <span data-testid="correction-form-state">
                    {r.form.state ? `${r.form.state} ${formLabel(c, r.form.state)}` : '—'}
                  </span>
                </Space>
              ) : (
                <Typography.Text type="secondary">{c('noForm')}</Typography.Text>
              ),
          },
          {
            title: c('invoice'),
            key: 'invoice',
            render: (_: unknown, r: Correction) => (
              <Link to={`/invoices/${encodeURIComponent(r.invoiceKey)}`}>
                {r.original ? [r.original.code, r.original.number].filter(Boolean).join(' ') : r.invoiceKey}
              </Link>
            ),
          },
          {
            title: c('finding'),
            key: 'finding',
            render: (_: unknown, r: Correction) => <Link to={`/findings/${encodeURIComponent(r.findingId)}`}>{c('detail')}</Link>,
          },
          { title: c('branch'), dataIndex: 'branchId', key: 'branchId', render: text },
          {
            title: c('reason'),
            key: 'reason',
            render: (_: unknown, r: Correction) => (r.reasonCode ? reasonLabel(c, r.reasonCode) : '—'),
          },
          { title: c('amount'), dataIndex: 'amount', key: 'amount', align: 'right' as const, render: text },
          { title: c('taxAmount'), dataIndex: 'taxAmount', key: 'taxAmount', align: 'right' as const, render: text },
          { title: c('total'), dataIndex: 'totalAmount', key: 'totalAmount', align: 'right' as const, render: text },
          {
            title: c('reissue'),
            key: 'reissue',
            render: (_: unknown, r: Correction) =>
              r.reissue ? (
                <Space orientation="vertical" size={2}>
                  <span data-testid="correction-reissue">{r.reissueInvoiceKey ?? c('awaitingReissue')}</span>
                  {act && !ENDED.includes(r.state) && (
                    <Button size="small" onClick={() => setReissuing(r)}>
                      {c(r.reissueInvoiceKey ? 'changeReissue' : 'nameReissue')}
                    </Button>
                  )}
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: c('proposedBy'),
            key: 'proposedBy',
            render: (_: unknown, r: Correction) => (
              <Space direction="vertical" size={0}>
                <span data-testid="correction-proposer">{actorName(r.proposedBy)}</span>
                {r.proposalNote && <Typography.Text type="secondary">{r.proposalNote}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: c('decidedBy'),
            key: 'decidedBy',
            render: (_: unknown, r: Correction) =>
              r.decidedBy ? (
                <Space direction="vertical" size={0}>
                  <span data-testid="correction-approver">{actorName(r.decidedBy)}</span>
                  <Typography.Text type="secondary">{formatTime(r.decidedAt)}</Typography.Text>
                  {r.decisionReason && (
                    <Typography.Text type="secondary">{c('because', { reason: r.decisionReason })}</Typography.Text>
                  )}
                </Space>
              ) : (
                '—'
              ),
          },
          { title: c('updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', render: (v: string) => formatTime(v) },
          ...(can('corrections:approve')
            ? [
                {
                  title: c('actions'),
                  key: 'actions',
                  render: (_: unknown, r: Correction) =>
                    r.state === 'proposed' ? (
                      <Space direction="vertical" size={2}>
                        <Space>
                          <Button size="small" type="primary" disabled={own(r)} onClick={() => setApproving(r)}>
                            {c('approve')}
                          </Button>
                          <Button size="small" danger disabled={own(r)} onClick={() => setRejecting(r)}>
                            {c('reject')}
                          </Button>
                        </Space>
                        {own(r) && (
                          <Typography.Text type="secondary" data-testid="own-proposal">
                            {c('ownProposal')}
                          </Typography.Text>
                        )}
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <CursorPager nextCursor={result.data?.nextCursor} paging={paging} loading={result.loading} />
      <ApproveModal
        open={approving !== null}
        title={c('approveTitle')}
        noteLabel={c('approveNote')}
        onCancel={() => setApproving(null)}
        onConfirm={(note) => (approving ? decide(approving, 'approve', note) : Promise.resolve())}
      />
      <ProposeCorrectionForm
        open={proposing}
        texts={c}
        findingId={proposeFor}
        onCancel={closeProposal}
        onConfirm={propose}
      />
      <ReissueForm
        open={reissuing !== null}
        texts={c}
        current={reissuing?.reissueInvoiceKey}
        onCancel={() => setReissuing(null)}
        onConfirm={(body) => (reissuing ? nameReissue(reissuing, body) : Promise.resolve())}
      />
      <ReasonModal
        open={rejecting !== null}
        title={c('rejectTitle')}
        onCancel={() => setRejecting(null)}
        onConfirm={(reason) => (rejecting ? decide(rejecting, 'reject', reason) : Promise.resolve())}
      />
    </Card>
  );
}

type Texts = ReturnType<typeof correctionTexts>;

function formLabel(c: Texts, state: string): string {
  return /^(0[1-9]|10)$/.test(state) ? c(`form.${state}` as CorrectionText) : '';
}

function reasonLabel(c: Texts, code: string): string {
  return /^0[1-4]$/.test(code) ? c(`reason.${code}` as CorrectionText) : code;
}
