import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ID_SOURCE, IdSource } from '@lib/common';
import { explainFinding, FindingSeverity, FindingState, FindingType } from '@lib/contracts';
import type { Actor } from '@lib/platform';
import { FindingTransition } from '../findings/finding-events.publisher';
import { ACTIVE_STATES, FindingRow } from '../findings/finding.model';
import { FindingsRepository } from '../findings/findings.repository';
import { ReceivedFindingsRepository } from './received-findings.repository';
import { CheckResult, ReceivedCheck, ReceivedInvoice } from './received-invoice.model';

const RECEIVED_TYPES: readonly FindingType[] = ['RECEIVED_INVOICE_INVALID', 'RECEIVED_INVOICE_VOIDED'];

/** The finding a conclusive 查验 result calls for (null: the invoice is fine), with its cause and severity. */
export function findingFor(result: CheckResult): { type: FindingType; severity: FindingSeverity } | null {
  switch (result) {
    case 'VOIDED':
    case 'RED_REVERSED':
      return { type: 'RECEIVED_INVOICE_VOIDED', severity: 'critical' };
    case 'NOT_FOUND':
      return { type: 'RECEIVED_INVOICE_INVALID', severity: 'warning' };
    case 'MISMATCH':
    case 'NOT_BUYER':
      return { type: 'RECEIVED_INVOICE_INVALID', severity: 'critical' };
    default:
      return null;
  }
}

/**
 * Opens, updates or resolves the findings of one received invoice from a conclusive check, in the check's transaction,
 * through the findings table every other finding lives in (so the API, the console and the notifier, which routes by
 * the finding's taxpayer and branch, treat them like any other). The subject is the invoice key, the period the
 * invoice's, the branch the one that received it. Takes the scope's advisory lock first, as a run's merge does, so a run
 * and a check never write the scope's findings at once. Returns the transitions for the caller's outbox.
 */
@Injectable()
export class ReceivedFindings {
  constructor(
    private readonly findings: FindingsRepository,
    private readonly receivedFindings: ReceivedFindingsRepository,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  async apply(m: EntityManager, inv: ReceivedInvoice, check: ReceivedCheck, actor: Actor, now: Date): Promise<FindingTransition[]> {
    await this.receivedFindings.lockScope(m, inv.taxNo, inv.period);
    const existing = await this.receivedFindings.lockOf(m, inv, RECEIVED_TYPES);
    const wanted = findingFor(check.result);
    const transitions: FindingTransition[] = [];
    for (const f of existing) {
      if (f.type === wanted?.type || !ACTIVE_STATES.includes(f.state)) continue;
      const explanation = `复查：${check.channel === 'baiwang' ? '百望云' : '税局'}查验结果为${RESULT_WORDS[check.result]}，该问题已不存在。`;
      transitions.push(await this.save(m, f, 'resolved', f.severity, explanation, f.evidence, now));
    }
    if (wanted) {
      const evidence = evidenceOf(inv, check);
      const before = existing.find((f) => f.type === wanted.type) ?? null;
      const state: FindingState = before?.state === 'ignored' ? 'ignored' : before && before.state !== 'resolved' ? before.state : 'open';
      const explanation = explainFinding(
        { type: wanted.type, state, evidence, invoice: { type: inv.type, code: inv.code, number: inv.number }, branchId: inv.branchId, now },
        'zh-CN',
      );
      if (before) {
        const saved = await this.save(m, before, state, wanted.severity, explanation, evidence, now);
        if (saved.previousState !== state) transitions.push(saved);
      } else {
        transitions.push(await this.insert(m, inv, wanted.type, wanted.severity, explanation, evidence, now));
      }
    }
    await this.findings.appendHistory(
      m,
      transitions.map((t) => ({
        findingId: t.finding.id,
        fromState: t.previousState,
        toState: t.finding.state,
        action: t.finding.state === 'resolved' ? 'resolve' : t.previousState === null ? 'open' : 'reopen',
        actor,
        reason: `查验 ${check.id}`,
        runId: null,
      })),
      now,
    );
    return transitions;
  }

  private async insert(
    m: EntityManager,
    inv: ReceivedInvoice,
    type: FindingType,
    severity: FindingSeverity,
    explanation: string,
    evidence: Record<string, unknown>,
    now: Date,
  ): Promise<FindingTransition> {
    const content = { type, severity, explanation, evidence };
    const finding = await this.receivedFindings.insert(m, this.ids.uuid(), inv, content, now);
    return { finding, previousState: null };
  }

  private async save(
    m: EntityManager,
    f: FindingRow,
    state: FindingState,
    severity: FindingSeverity,
    explanation: string,
    evidence: Record<string, unknown>,
    now: Date,
  ): Promise<FindingTransition> {
    const content = { severity, explanation, evidence };
    const finding = await this.receivedFindings.update(m, f.id, state, content, now);
    return { finding, previousState: f.state };
  }
}

const RESULT_WORDS: Record<CheckResult, string> = {
  VALID: '正常',
  VOIDED: '已作废',
  RED_REVERSED: '已红冲',
  NOT_FOUND: '查无此票',
  MISMATCH: '信息不一致',
  NOT_BUYER: '非我方发票',
  BAD_INPUT: '查询参数有误',
  UNAVAILABLE: '无法查验',
};

/** What the sentence and a reader need: the invoice, its supplier and branch, what 查验 said, through which service, when. */
function evidenceOf(inv: ReceivedInvoice, check: ReceivedCheck): Record<string, unknown> {
  const cause = check.result === 'MISMATCH' || check.result === 'NOT_BUYER' ? check.result : check.result === 'NOT_FOUND' ? 'NOT_FOUND' : undefined;
  return {
    receivedInvoiceId: inv.id,
    checkId: check.id,
    invoiceType: inv.type,
    code: inv.code,
    number: inv.number,
    branchId: inv.branchId,
    sellerTaxNo: inv.sellerTaxNo,
    sellerName: inv.sellerName,
    amount: inv.amount,
    taxAmount: inv.taxAmount,
    totalAmount: inv.totalAmount,
    issuedAt: inv.issuedAt,
    ...(cause ? { cause } : {}),
    ...(check.authorityStatus && check.authorityStatus !== 'NORMAL' ? { authorityStatus: check.authorityStatus } : {}),
    channel: check.channel,
    returnCode: check.returnCode,
    returnMessage: check.returnMessage,
    checkedAt: check.checkedAt,
    requestedBy: check.requestedBy.name,
  };
}
