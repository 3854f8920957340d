// What the system did with the month, read back through its APIs and the sandbox, compared with the plan.
import { requestJson, type JsonBody } from '@lib/testing';
import { ROBOT_CHANNELS, type RobotChannel } from './enterprise';
import { invoiceKey } from './invoice-factory';
import { toFullWidth, type MonthPlan } from './month-plan';
import type { PlayResult } from './month-play';
import type { SandboxRobotMessage, SandboxState } from './sandbox-client';
import type { SystemHarness } from './system-harness';

export interface FindingView {
  id: string;
  type: string;
  state: string;
  severity: string;
  taxNo: string;
  branchId: string | null;
  period: string;
  invoice: { type: string; code: string | null; number: string } | null;
  explanation: string;
  remediationAttempts: number;
  history: { toState: string; actor: { kind: string; subject: string; name: string } }[];
}

export interface Observed {
  findings: FindingView[];
  sandbox: SandboxState;
  mail: { count: number; distinctMessageIds: number; recipients: number };
  sms: { count: number; distinctOutIds: number };
  notifier: { emailSent: number; smsSent: number; failed: number };
  /** Per group robot platform: what its robots took, and what the notifier says it sent there. */
  robots: Record<RobotChannel, { received: SandboxRobotMessage[]; sent: number }>;
  /** The buyer's name on the authority's copy of the full-width case. */
  fullWidthAuthorityName: string | null;
  sync: Record<string, number>;
}

export interface Check {
  name: string;
  expected: string | number;
  actual: string | number;
  ok: boolean;
}

export async function observe(system: SystemHarness, plan: MonthPlan): Promise<Observed> {
  const findings: FindingView[] = [];
  for (const t of plan.enterprise.taxpayers) {
    let cursor: string | null = null;
    do {
      const query: string = `/v1/findings?taxNo=${t.taxNo}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await requestJson(
        system.urls.reconcile,
        'GET',
        query,
        undefined,
        system.secrets.reconcileApiToken,
      );
      if (page.status !== 200) throw new Error(`findings: ${page.status} ${JSON.stringify(page.body)}`);
      findings.push(...(page.body as JsonBody).items);
      cursor = (page.body as JsonBody).nextCursor;
    } while (cursor);
  }
  const mail = await system.sandbox.mail();
  const sms = await system.sandbox.sms();
  const sync: Record<string, number> = {};
  for (const target of ['authority', 'baiwang', 'nuonuo'])
    for (const status of ['accepted', 'relayed', 'rejected', 'dead'])
      sync[`${target}.${status}`] = await system.metric('sync', 'sync_deliveries_finished_total', {
        target,
        status,
      });
  const robots = {} as Observed['robots'];
  for (const channel of ROBOT_CHANNELS)
    robots[channel] = {
      received: await system.sandbox.robots(channel),
      sent: await system.metric('notifier', 'notifier_notifications_sent_total', { channel }),
    };
  const fullWidth = await system.sandbox.authorityInvoice(plan.fullWidthBuyer.key);
  return {
    findings,
    robots,
    fullWidthAuthorityName: (fullWidth as { invoice?: { buyerName?: string } }).invoice?.buyerName ?? null,
    sandbox: await system.sandbox.state(),
    mail: {
      count: mail.length,
      distinctMessageIds: new Set(mail.map((m) => m.messageId)).size,
      recipients: new Set(mail.flatMap((m) => m.to)).size,
    },
    sms: { count: sms.length, distinctOutIds: new Set(sms.map((m) => m.outId ?? m.bizId)).size },
    notifier: {
      emailSent: await system.metric('notifier', 'notifier_notifications_sent_total', { channel: 'email' }),
      smsSent: await system.metric('notifier', 'notifier_notifications_sent_total', { channel: 'sms' }),
      failed: await system.metric('notifier', 'notifier_notifications_failed_total'),
    },
    sync,
  };
}

export function countByType(findings: FindingView[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.type] = (counts[f.type] ?? 0) + 1;
  return counts;
}

/** Everything the scenario promises; `--once` and the e2e suite pass only when every check does. */
export function checkMonth(plan: MonthPlan, play: PlayResult, seen: Observed): Check[] {
  const checks: Check[] = [];
  const check = (name: string, expected: string | number, actual: string | number) =>
    checks.push({ name, expected, actual, ok: expected === actual });
  const byType = countByType(seen.findings);
  for (const [type, n] of Object.entries(plan.expectedFindings))
    check(`findings ${type}`, n ?? 0, byType[type] ?? 0);
  const unexpected = Object.keys(byType).filter((t) => !(t in plan.expectedFindings));
  check('findings of unexpected types', 'none', unexpected.join(', ') || 'none');
  check('items rejected by the gateway', 0, play.rejectedItems.length);
  const incomplete = [...play.runs1, ...play.runs2].filter((r) => r.state !== 'completed');
  check('reconciliation runs not completed', 0, incomplete.length);
  const lost = seen.findings.filter((f) => f.type === 'MISSING_IN_AUTHORITY');
  check(
    'lost uploads re-uploaded and resolved',
    plan.scale.neverVisible,
    lost.filter((f) => f.state === 'resolved' && f.remediationAttempts >= 1).length,
  );
  checkCorrections(plan, play, seen, check);
  const { inFiling, outageNearDeadline } = plan;
  check(
    'hosted devices reported and cleared by the product',
    inFiling ? 1 : 0,
    play.remoteOps.filter((o) => o.state === 'cleared').length,
  );
  check(
    "the hosted device's failed clear-card says to upload its offline invoices first",
    inFiling ? 'yes' : 'n/a',
    inFiling
      ? seen.findings.some(
          (f) =>
            f.type === 'CLEAR_CARD_FAILED' && f.period === inFiling && f.explanation.includes('离线发票'),
        )
        ? 'yes'
        : 'no'
      : 'n/a',
  );
  const cannot = seen.findings.filter((f) => f.type === 'RECONCILIATION_INCOMPLETE');
  check(
    'authority down near the deadline: run incomplete, finding raised, resolved when a run completes',
    outageNearDeadline ? 'incomplete → completed, resolved' : 'n/a',
    outageNearDeadline
      ? `${play.outageRuns.map((r) => r.state).join(' → ')}, ${cannot.map((f) => f.state).join(', ') || 'no finding'}`
      : 'n/a',
  );
  const a = seen.sandbox.authority;
  // Resends on one channel. The planted mismatch (the authority already held that number from elsewhere) and invoices
  // that reached it both directly and through a platform are counted apart, as relayedDuplicates.
  check('duplicate uploads at the authority', 0, a.duplicates);
  check('duplicate uploads at Baiwang', 0, seen.sandbox.baiwang.duplicates);
  check('duplicate uploads at Nuonuo', 0, seen.sandbox.nuonuo.duplicates);
  check(
    'deliveries dead or rejected',
    0,
    ['authority', 'baiwang', 'nuonuo'].reduce(
      (n, t) => n + seen.sync[`${t}.dead`] + seen.sync[`${t}.rejected`],
      0,
    ),
  );
  check(
    'invoices relayed through a platform during the outage > 0',
    'yes',
    seen.sync['authority.relayed'] > 0 ? 'yes' : 'no',
  );
  check('emails received = emails sent (none twice)', seen.notifier.emailSent, seen.mail.count);
  check('distinct Message-IDs = emails received', seen.mail.count, seen.mail.distinctMessageIds);
  check('SMS received = SMS sent', seen.notifier.smsSent, seen.sms.count);
  check('emails received > 0', 'yes', seen.mail.count > 0 ? 'yes' : 'no');
  check('SMS received > 0', 'yes', seen.sms.count > 0 ? 'yes' : 'no');
  check('notifications failed', 0, seen.notifier.failed);
  // One CLEAR_CARD_OVERDUE per taxpayer, and each taxpayer's branches chat on another platform.
  for (const channel of ROBOT_CHANNELS) {
    const { received, sent } = seen.robots[channel];
    check(
      `${channel} group robot: overdue clear-card alerts received (sent by the notifier)`,
      '1 (1)',
      `${received.filter((m) => m.content.includes('清卡')).length} (${sent})`,
    );
  }
  const voided = seen.findings.filter((f) => f.type === 'RECEIVED_INVOICE_VOIDED');
  check(
    'a received invoice the supplier voided: a finding for the branch that received it',
    `${plan.received.voided.number} @ ${plan.received.branch.branchId}, open`,
    voided.map((f) => `${f.invoice?.number} @ ${f.branchId}, ${f.state}`).join('; ') || 'no finding',
  );
  const fullWidth = plan.fullWidthBuyer;
  check(
    'buyer name differing only in full-width characters at the authority raises nothing',
    `${toFullWidth(fullWidth.ledgerName)}: no finding`,
    `${seen.fullWidthAuthorityName}: ${
      seen.findings
        .filter((f) => f.invoice?.number === fullWidth.number)
        .map((f) => f.type)
        .join(', ') || 'no finding'
    }`,
  );
  return checks;
}

/**
 * The two red-letter corrections (docs/corrections.md): proposed by reconcile's first run; one decided by a finance
 * manager other than its proposer (the proposer's own approval refused), entered at the authority once, confirmed by the
 * buyer, reversed by the red invoice issued with its form, its finding resolved, and that red invoice not taken for one
 * missing from the ledger; the other's form rejected by the buyer and its finding escalated with the reason.
 */
function checkCorrections(
  plan: MonthPlan,
  play: PlayResult,
  seen: Observed,
  check: (name: string, expected: string | number, actual: string | number) => void,
): void {
  const { corrections: c } = play;
  const { confirmed: planned, managers } = plan.corrections;
  const findingOf = (p: { taxNo: string; number: string }) =>
    seen.findings.find(
      (f) => f.type === 'AMOUNT_MISMATCH' && f.taxNo === p.taxNo && f.invoice?.number === p.number,
    );
  check(
    "red-letter corrections proposed by reconcile's first run, one per amount mismatch",
    'proposed by service, proposed by service',
    c.proposedAfterFirstRun.map((p) => `${p.state} by ${p.by}`).join(', '),
  );
  check('a finance manager approving their own proposal is refused', '403 SELF_APPROVAL', c.selfApproval);
  check(
    'correction approved by another person than its proposer, entered at the authority once, confirmed by the buyer',
    `proposed by ${managers.a.name}, approved by ${managers.b.name}, 1 form, completed`,
    `proposed by ${c.confirmed.proposedBy?.name}, approved by ${c.confirmed.decidedBy?.name}, ` +
      `${c.formsAtAuthority.confirmed} form, ${c.confirmed.state}`,
  );
  const redKey = invoiceKey(planned.red);
  check(
    'the red invoice issued with its form is at the authority and completes the correction; the finding resolved',
    `${redKey} citing ${c.confirmed.form?.formId}, resolved`,
    `${c.red.visible ? redKey : 'not visible'} citing ${c.red.redFormId}, ${findingOf(planned)?.state ?? 'no finding'}`,
  );
  check(
    'the red invoice of our own correction raises no finding (not MISSING_IN_LEDGER) in the next run',
    'recorded on the correction: no finding',
    `${c.confirmed.redInvoiceKey === redKey ? 'recorded on the correction' : `the correction records ${c.confirmed.redInvoiceKey}`}: ${
      seen.findings
        .filter((f) => f.invoice?.number === planned.red.number)
        .map((f) => f.type)
        .join(', ') || 'no finding'
    }`,
  );
  const rejected = findingOf(plan.corrections.rejected);
  const says05 =
    !!rejected?.explanation.includes(`${c.rejected.form?.formId}`) && /\b05\b/.test(rejected.explanation);
  check(
    'correction whose form the buyer rejected (05): void, entered once, finding escalated saying so',
    'void, 1 form, escalated, says the buyer rejected it (05)',
    `${c.rejected.state}, ${c.formsAtAuthority.rejected} form, ${rejected?.state ?? 'no finding'}, ${
      says05 ? 'says the buyer rejected it (05)' : `says: ${rejected?.explanation}`
    }`,
  );
}
