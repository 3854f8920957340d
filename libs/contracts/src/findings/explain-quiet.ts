import { daysUntil, isLocalDate } from '@lib/domain';
import { ExplainContext, IncompleteCause } from './explain.model';
import {
  capitalize,
  deviceOf,
  deviceRef,
  localDate,
  period,
  plural,
  shortDate,
  shortDateTime,
  text,
} from './explain-format';

/**
 * The sentences of the findings about devices that go quiet near the filing deadline (REPORT_MISSING, CLEAR_CARD_MISSING,
 * DEVICE_SILENT) and about a period that cannot be reconciled (RECONCILIATION_INCOMPLETE), one per type and language:
 * the device (or the taxpayer), the period, the deadline and what a person must do.
 */

const dev = (c: ExplainContext) => deviceRef(deviceOf(c), c.locale);
const periodOf = (c: ExplainContext) => period(c.evidence.period ?? c.input.period, c.locale);
const deadlineOf = (c: ExplainContext) => localDate(c.evidence.deadline, c.locale);

/** Whole days from the reader's today to the deadline (0 on the day, negative after); null when none is known. */
function daysLeft(c: ExplainContext): number | null {
  const deadline = c.evidence.deadline;
  return isLocalDate(deadline) ? daysUntil(deadline, c.now) : null;
}

/** "申报截止日2026年11月17日（还剩2天）" / "the filing deadline of 17 Nov 2026 (2 days left)", or that it has passed. */
function deadlinePhrase(c: ExplainContext): string {
  const days = daysLeft(c);
  const en = c.locale === 'en';
  if (days !== null && days < 0)
    return en ? `the filing deadline of ${deadlineOf(c)} has passed` : `申报截止日${deadlineOf(c)}已过`;
  const left =
    days === null
      ? ''
      : en
        ? ` (${days === 0 ? 'today is the last day' : `${plural(days, 'day')} left`})`
        : `（${days === 0 ? '今天是最后一天' : `还剩${days}天`}）`;
  return en ? `the filing deadline is ${deadlineOf(c)}${left}` : `申报截止日为${deadlineOf(c)}${left}`;
}

const passed = (c: ExplainContext) => (daysLeft(c) ?? 0) < 0;

export function reportMissing(c: ExplainContext): string {
  const en = c.locale === 'en';
  const todo = passed(c)
    ? en
      ? 'upload it now and tell the tax office if the return is late'
      : '请立即完成抄报，逾期申报请联系主管税务机关'
    : en
      ? 'upload it (抄报) before the deadline'
      : '请在截止日前完成抄报';
  return en
    ? `${capitalize(dev(c))} has not uploaded its monthly summary (抄报) for ${periodOf(c)} and ${deadlinePhrase(c)}; ${todo}.`
    : `${dev(c)}尚未完成${periodOf(c)}的抄报，${deadlinePhrase(c)}；${todo}。`;
}

export function clearCardMissing(c: ExplainContext): string {
  const en = c.locale === 'en';
  const reported = c.evidence.reportedAt;
  const done = reported
    ? en
      ? ` (it uploaded its summary on ${shortDate(reported, c)})`
      : `（已于${shortDate(reported, c)}完成抄报）`
    : '';
  return en
    ? `${capitalize(dev(c))} has not cleared its card (清卡) for ${periodOf(c)}${done} and ${deadlinePhrase(c)}; clear it before the deadline or the device locks.`
    : `${dev(c)}尚未完成${periodOf(c)}的清卡${done}，${deadlinePhrase(c)}；请在截止日前完成清卡，否则设备将锁死。`;
}

export function deviceSilent(c: ExplainContext): string {
  const e = c.evidence;
  const en = c.locale === 'en';
  if (e.kind === 'stale-reading') {
    const limit = text(e.offlineHoursLimit);
    const lock = shortDateTime(e.mayLockAt, c);
    return en
      ? `${capitalize(dev(c))} last sent a monitor reading on ${shortDateTime(e.lastReadingAt, c)}, more than ${text(e.thresholdPercent)}% of its ${limit} allowed offline hours ago, and may lock from ${lock}; bring it online and let it upload (the filing deadline for ${periodOf(c)} is ${deadlineOf(c)}).`
      : `${dev(c)}最近一次监控数据在${shortDateTime(e.lastReadingAt, c)}，已超过离线时限${limit}小时的${text(e.thresholdPercent)}%，最早可能在${lock}锁死；请尽快联网并上传数据（${periodOf(c)}的申报截止日为${deadlineOf(c)}）。`;
  }
  const last = e.lastSeenAt
    ? en
      ? `last heard from on ${shortDate(e.lastSeenAt, c)}`
      : `最近一次联系在${shortDate(e.lastSeenAt, c)}`
    : en
      ? 'never heard from'
      : '从未上报过数据';
  const since = localDate(e.periodStart, c.locale);
  // past the deadline the device can no longer file in time: a device in use needs the tax office's late clearing
  const inUse = passed(c)
    ? en
      ? 'if it is, report and clear it now and ask the tax office about the late filing'
      : '在用请立即完成抄报和清卡，并就逾期申报联系主管税务机关'
    : en
      ? 'if it is, upload and clear it before the deadline'
      : '在用请在截止日前完成抄报和清卡';
  return en
    ? `${capitalize(dev(c))} has sent no summary (抄报), clear-card (清卡) or monitor reading for ${periodOf(c)} since ${since} (${last}), and ${deadlinePhrase(c)}; check whether it is still in use: ${inUse}, if not, suspend or retire it.`
    : `${dev(c)}自${since}起没有任何抄报、清卡或监控数据（${last}），${periodOf(c)}的${deadlinePhrase(c)}；请确认设备是否仍在使用：${inUse}，不再使用请将其停用或注销。`;
}

const CAUSES: Record<IncompleteCause, Record<'zh-CN' | 'en', string>> = {
  AUTHORITY_UNAVAILABLE: { 'zh-CN': '税局服务不可用', en: 'the authority was unavailable' },
  QUOTA_SPENT: { 'zh-CN': '调用或查验次数已用尽', en: 'the call quota was spent' },
  RECORDS_INVALID: { 'zh-CN': '税局返回的数据无法读取', en: "the authority's records could not be read" },
  NO_CHANNEL: { 'zh-CN': '未配置税局数据通道', en: 'no authority channel is configured' },
  OTHER: { 'zh-CN': '其他错误', en: 'other errors' },
};

function causesOf(c: ExplainContext): string {
  const raw = Array.isArray(c.evidence.causes) ? c.evidence.causes : [];
  const known = raw.filter((x): x is IncompleteCause => typeof x === 'string' && x in CAUSES);
  const words = (known.length ? known : (['OTHER'] as IncompleteCause[])).map((x) => CAUSES[x][c.locale]);
  return c.locale === 'en' ? words.join(' and ') : words.join('、');
}

const taxpayer = (c: ExplainContext) => {
  const taxNo = text(c.evidence.taxNo, '');
  if (c.locale === 'en') return taxNo ? `taxpayer ${taxNo}` : 'the taxpayer';
  return taxNo ? `纳税人（税号 ${taxNo}）` : '该纳税人';
};

export function reconciliationIncomplete(c: ExplainContext): string {
  const e = c.evidence;
  const en = c.locale === 'en';
  if (c.input.state === 'resolved') {
    const when = shortDate(e.completedAt, c);
    return en
      ? `A complete reconciliation of ${taxpayer(c)} for ${periodOf(c)} succeeded on ${when}, so the runs that could not finish since ${shortDate(e.since, c)} no longer matter and this was resolved automatically.`
      : `${taxpayer(c)}${periodOf(c)}的对账已于${when}完整完成，自${shortDate(e.since, c)}起未能完成的问题已自动解决。`;
  }
  const runs = Number(e.runs ?? 1);
  return en
    ? `The reconciliation of ${taxpayer(c)} for ${periodOf(c)} has not completed since ${shortDateTime(e.since, c)} (${plural(runs, 'run')} ended incomplete: ${causesOf(c)}) and ${deadlinePhrase(c)}; a finance manager must check the authority connection and quota and, if it cannot be fixed in time, check the period's invoices by hand before filing.`
    : `${taxpayer(c)}${periodOf(c)}的对账自${shortDateTime(e.since, c)}起未能完成（${runs}次均未完成：${causesOf(c)}），${deadlinePhrase(c)}；请财务主管检查税局连接和调用额度，来不及修复时请在申报前手工核对本期发票。`;
}
