import { Button, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { correctionEnded } from '@lib/contracts/correction-states';
import type { Actor } from '../api/types';
import { actorName, formatTime, text } from '../domain/format';
import { CORRECTION_STATES, correctionTexts, type CorrectionText } from './corrections-texts';

/** A correction as reconcile's `GET /v1/corrections` lists it (docs/corrections.md, "API"). */
export interface Correction {
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

type Texts = ReturnType<typeof correctionTexts>;

/** A state in words, or as it came when this console does not know it. */
export function correctionStateLabel(c: Texts, state: string): string {
  return CORRECTION_STATES.includes(state as never) ? c(`state.${state}` as CorrectionText) : state;
}

export interface CorrectionColumnsOptions {
  texts: Texts;
  /** The person may act on findings: name or change a re-issue. */
  act: boolean;
  /** The person may approve or reject proposals (corrections:approve). */
  canApprove: boolean;
  /** The person proposed this one: the service refuses their own approval (403 SELF_APPROVAL), so the row says why. */
  own: (row: Correction) => boolean;
  on: {
    approve: (row: Correction) => void;
    reject: (row: Correction) => void;
    reissue: (row: Correction) => void;
  };
}

/**
 * The list's columns: state, the form's state at the authority (01-10), the original, the finding, the amounts
 * reversed, the reason, the re-issue, who proposed and who decided, and the approver's buttons.
 */
export function correctionColumns({
  texts: c,
  act,
  canApprove,
  own,
  on,
}: CorrectionColumnsOptions): ColumnsType<Correction> {
  const stateLabel = (s: string) => correctionStateLabel(c, s);
  return [
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
          <Space orientation="vertical" size={0}>
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
      render: (_: unknown, r: Correction) => (
        <Link to={`/findings/${encodeURIComponent(r.findingId)}`}>{c('detail')}</Link>
      ),
    },
    { title: c('branch'), dataIndex: 'branchId', key: 'branchId', render: text },
    {
      title: c('reason'),
      key: 'reason',
      render: (_: unknown, r: Correction) => (r.reasonCode ? reasonLabel(c, r.reasonCode) : '—'),
    },
    { title: c('amount'), dataIndex: 'amount', key: 'amount', align: 'right' as const, render: text },
    {
      title: c('taxAmount'),
      dataIndex: 'taxAmount',
      key: 'taxAmount',
      align: 'right' as const,
      render: text,
    },
    {
      title: c('total'),
      dataIndex: 'totalAmount',
      key: 'totalAmount',
      align: 'right' as const,
      render: text,
    },
    {
      title: c('reissue'),
      key: 'reissue',
      render: (_: unknown, r: Correction) =>
        r.reissue ? (
          <Space orientation="vertical" size={2}>
            <span data-testid="correction-reissue">{r.reissueInvoiceKey ?? c('awaitingReissue')}</span>
            {act && !correctionEnded(r.state) && (
              <Button size="small" onClick={() => on.reissue(r)}>
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
        <Space orientation="vertical" size={0}>
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
          <Space orientation="vertical" size={0}>
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
    ...(canApprove
      ? [
          {
            title: c('actions'),
            key: 'actions',
            render: (_: unknown, r: Correction) =>
              r.state === 'proposed' ? (
                <Space orientation="vertical" size={2}>
                  <Space>
                    <Button size="small" type="primary" disabled={own(r)} onClick={() => on.approve(r)}>
                      {c('approve')}
                    </Button>
                    <Button size="small" danger disabled={own(r)} onClick={() => on.reject(r)}>
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
  ];
}

function formLabel(c: Texts, state: string): string {
  return /^(0[1-9]|10)$/.test(state) ? c(`form.${state}` as CorrectionText) : '';
}

function reasonLabel(c: Texts, code: string): string {
  return /^0[1-4]$/.test(code) ? c(`reason.${code}` as CorrectionText) : code;
}
