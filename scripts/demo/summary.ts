import type { MonthPlan } from '../../test/system/month-plan';
import type { PlayResult } from '../../test/system/month-play';
import type { Check, Observed } from '../../test/system/month-report';
import type { SystemHarness } from '../../test/system/system-harness';

const n = (x: number) => x.toLocaleString('en-US');
const s = (ms: number) => `${Math.round(ms / 1000)} s`;

/** The demo's closing page: what happened, what the system found and did, who was told, and whether it all held. */
export async function renderSummary(
  system: SystemHarness,
  plan: MonthPlan,
  play: PlayResult,
  seen: Observed,
  checks: Check[],
): Promise<string> {
  const { enterprise, counts, scale } = plan;
  const sync = seen.sync;
  const lines: string[] = [];
  const row = (label: string, text: string) => lines.push(`${label.padEnd(16)}${text}`);
  lines.push('');
  lines.push(
    `══ A month at ${enterprise.taxpayers.length} taxpayers · ${enterprise.branches.length} branches · ${enterprise.devices.length} devices` +
      ` (this period ${plan.period}, last closed period ${plan.pastPeriod}) ══`,
  );
  lines.push('');
  row(
    'Invoices',
    `${n(counts.issued)} issued this month + ${n(counts.past)} from ${plan.pastPeriod}, ${n(counts.red)} red-letter, ` +
      `${n(counts.voided)} voided, 1 number issued twice; ${play.rejectedItems.length} refused by the gateway`,
  );
  row(
    'Deliveries',
    `authority ${n(sync['authority.accepted'])} accepted directly + ${n(sync['authority.relayed'])} relayed through Baiwang during its ` +
      `${s(scale.outageMs)} outage · Baiwang ${n(sync['baiwang.accepted'])} · Nuonuo none (a query channel, docs/sync.md) · ` +
      `dead ${sync['authority.dead'] + sync['baiwang.dead'] + sync['nuonuo.dead']}`,
  );
  const a = seen.sandbox.authority;
  row(
    'At the targets',
    `resends counted as duplicates: authority ${a.duplicates}, Baiwang ${seen.sandbox.baiwang.duplicates}, ` +
      `Nuonuo ${seen.sandbox.nuonuo.duplicates} · same invoice by two routes: ${a.relayedDuplicates} · uploads the authority lost: ${scale.neverVisible}`,
  );
  lines.push('');
  row('Findings', `${'type'.padEnd(24)}${'count'.padEnd(7)}${'now'.padEnd(24)}example`);
  const types = [...new Set(seen.findings.map((f) => f.type))].sort();
  for (const type of types) {
    const of = seen.findings.filter((f) => f.type === type);
    const states = [...new Set(of.map((f) => f.state))].map(
      (st) => `${st} ×${of.filter((f) => f.state === st).length}`,
    );
    row(
      '',
      `${type.padEnd(24)}${String(of.length).padEnd(7)}${states.join(', ').padEnd(24)}${of[0].explanation}`,
    );
  }
  lines.push('');
  const resolved = seen.findings.filter(
    (f) => f.type === 'MISSING_IN_AUTHORITY' && f.state === 'resolved',
  ).length;
  row(
    'Done for you',
    `${resolved} lost uploads re-uploaded (reconcile → sync) and resolved on the next run; ` +
      `${seen.findings.filter((f) => f.type === 'MISSING_IN_LEDGER').length} authority-only invoices back-filled (补录) for a person to confirm; ` +
      `${seen.findings.filter((f) => f.state === 'remediating').length} red-letter corrections (红冲) requested`,
  );
  row('Devices', deviceOperations(plan, play, seen));
  const escalations = await system.metric('notifier', 'notifier_notifications_sent_total', {
    kind: 'escalation',
  });
  row(
    'Alerts',
    `${n(seen.mail.count)} emails and ${n(seen.sms.count)} SMS to ${seen.mail.recipients} people, ` +
      `${escalations} of these messages escalations to the next level; failed ${seen.notifier.failed}`,
  );
  row(
    'Time',
    Object.entries(play.timings)
      .map(([k, v]) => `${k} ${s(v)}`)
      .join(' · '),
  );
  lines.push('');
  for (const c of checks) {
    row(
      c === checks[0] ? 'Checks' : '',
      `${c.ok ? '✓' : '✗'} ${c.name}: ${c.actual}${c.ok ? '' : ` (expected ${c.expected})`}`,
    );
  }
  const failed = checks.filter((c) => !c.ok).length;
  lines.push('');
  lines.push(
    failed === 0
      ? `Everything expected happened (${checks.length} checks).`
      : `${failed} of ${checks.length} checks failed.`,
  );
  return lines.join('\n');
}

/** What the product did with the devices themselves: remote 抄报/清卡, quiet devices, a period it could not reconcile. */
function deviceOperations(plan: MonthPlan, play: PlayResult, seen: Observed): string {
  const parts: string[] = [];
  if (plan.inFiling) {
    const cleared = play.remoteOps.filter((o) => o.state === 'cleared').length;
    const failed = play.remoteOps.filter((o) => o.state === 'failed');
    parts.push(
      `${plan.inFiling} reported and cleared at Baiwang by the product for ${cleared} of ${play.remoteOps.length} hosted devices` +
        (failed.length
          ? ` (${failed.map((o) => o.lastErrorCode).join(', ')}: a person was told what to do)`
          : ''),
    );
  } else {
    parts.push('no filing window open: hosted devices were reported and cleared inside the last one');
  }
  const silent = seen.findings.filter((f) => f.type === 'DEVICE_SILENT').length;
  parts.push(`${silent} silent device${silent === 1 ? '' : 's'} named`);
  if (plan.outageNearDeadline) {
    const cannot = seen.findings.filter((f) => f.type === 'RECONCILIATION_INCOMPLETE');
    parts.push(
      `authority down near the deadline: runs ${play.outageRuns.map((r) => r.state).join(' → ')}, cannot-reconcile finding ${cannot.map((f) => f.state).join(', ') || 'not raised'}`,
    );
  }
  return parts.join(' · ');
}
