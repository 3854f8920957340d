import { App, Button, Card, Form, Input, Select, Table } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { Page } from '../api/types';
import { CursorPager, useCursorStack } from '../components/cursor-pager';
import { useReportError } from '../components/notify';
import { ReasonModal } from '../components/reason-modal';
import { pageTableProps } from '../components/page-table';
import { useUrlFilters } from '../components/url-filters';
import { useAsync } from '../components/use-async';
import { useI18n } from '../i18n/i18n';
import { useCan, useSession } from '../session/session';
import {
  ApproveModal,
  ProposeCorrectionForm,
  ReissueForm,
  type ProposalBody,
  type ReissueBody,
} from './correction-forms';
import { correctionColumns, correctionStateLabel, type Correction } from './correction-columns';
import { CORRECTION_STATES, correctionTexts } from './corrections-texts';

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
    () =>
      api.get<Page<Correction>>('reconcile', 'corrections', {
        state,
        taxNo,
        cursor: paging.cursor,
        limit: 50,
      }),
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
      await api.post(
        'reconcile',
        `corrections/${encodeURIComponent(row.id)}/${decision}`,
        reason ? { reason } : {},
      );
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
  const stateLabel = (s: string) => correctionStateLabel(c, s);
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
        columns={correctionColumns({
          texts: c,
          act,
          canApprove: can('corrections:approve'),
          own,
          on: { approve: setApproving, reject: setRejecting, reissue: setReissuing },
        })}
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
