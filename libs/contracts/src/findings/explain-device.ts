import { isRemoteOpErrorCode, REMOTE_OP_FAILURES } from '../devices/remote-ops';
import { ExplainContext } from './explain.model';
import {
  capitalize,
  deviceOf,
  deviceRef,
  invoiceTypeName,
  isRecord,
  localDate,
  money,
  period,
  plural,
  shortDate,
  targetName,
  text,
} from './explain-format';

/** The sentences of the five device findings, one per type and language, naming the device as a clerk knows it. */

const dev = (c: ExplainContext) => deviceRef(deviceOf(c), c.locale);
const periodOf = (c: ExplainContext) => period(c.evidence.period ?? c.input.period, c.locale);
const deadlineOf = (c: ExplainContext) => localDate(c.evidence.deadline, c.locale);

/** The authority's view when it contradicts the device's report of a successful clear-card (DEVICE_ONLY). */
function deviceOnly(c: ExplainContext): Record<string, unknown> | null {
  const authority = c.evidence.authority;
  return isRecord(authority) && authority.agreement === 'DEVICE_ONLY' ? authority : null;
}

function authorityError(authority: Record<string, unknown>, c: ExplainContext): string {
  const en = c.locale === 'en';
  return `${text(authority.errorCode, en ? 'no code' : '无错误码')}${en ? ': ' : '：'}${text(authority.errorMessage, en ? 'no message' : '无说明')}`;
}

/** "<device> reported its clear-card for <period> on <date>", with the age of an answer carried from an earlier run. */
function deviceReported(c: ExplainContext, authority: Record<string, unknown>): string {
  const when = shortDate(c.evidence.deviceClearedAt, c);
  const checked = shortDate(authority.checkedAt, c);
  if (c.locale === 'en') {
    const asOf = authority.carriedFromRun
      ? ` (the authority's last answer, on ${checked}; it could not be asked this time)`
      : '';
    return `${capitalize(dev(c))} reported its clear-card (清卡) for ${periodOf(c)} on ${when}${asOf}`;
  }
  const asOf = authority.carriedFromRun ? `（税局最近一次答复在${checked}，本次无法查询）` : '';
  return `${dev(c)}于${when}报告已完成${periodOf(c)}的清卡${asOf}`;
}

export function clearCardOverdue(c: ExplainContext): string {
  const en = c.locale === 'en';
  const authority = deviceOnly(c);
  if (authority) {
    const failed = authority.status === 'FAILED';
    return en
      ? `${deviceReported(c, authority)} but the authority has ${failed ? `its clear-card for ${periodOf(c)} failed (${authorityError(authority, c)})` : `no clear-card for ${periodOf(c)}`} and the filing deadline of ${deadlineOf(c)} has passed; it will lock unless it clears its card again.`
      : `${deviceReported(c, authority)}，但税局${failed ? `显示该期清卡失败（${authorityError(authority, c)}）` : '没有该期的清卡记录'}，且申报截止日${deadlineOf(c)}已过；除非重新清卡，设备将锁死。`;
  }
  const failed = c.evidence.lastStatus === 'failed';
  const code = text(c.evidence.errorCode, en ? 'no code' : '无错误码');
  return en
    ? `${capitalize(dev(c))} has not cleared its card (清卡) for ${periodOf(c)} and the filing deadline of ${deadlineOf(c)} has passed${failed ? ` (the last attempt failed: ${code})` : ''}.`
    : `${dev(c)}尚未完成${periodOf(c)}的清卡，申报截止日${deadlineOf(c)}已过${failed ? `（最近一次清卡失败：${code}）` : ''}。`;
}

export function clearCardFailed(c: ExplainContext): string {
  const en = c.locale === 'en';
  const authority = deviceOnly(c);
  if (authority) {
    return en
      ? `${deviceReported(c, authority)} but the authority says it failed (${authorityError(authority, c)}); it will lock unless it clears its card again before the deadline of ${deadlineOf(c)}.`
      : `${deviceReported(c, authority)}，但税局显示清卡失败（${authorityError(authority, c)}）；须在截止日${deadlineOf(c)}前重新清卡，否则设备将锁死。`;
  }
  const when = shortDate(c.evidence.lastAttemptAt, c);
  if (isRemoteOpErrorCode(c.evidence.errorCode)) return remoteClearCardFailed(c, c.evidence.errorCode, when);
  const why = authorityError(c.evidence, c);
  return en
    ? `${capitalize(dev(c))} failed to clear its card (清卡) for ${periodOf(c)} on ${when} (${why}); it must clear again before the deadline of ${deadlineOf(c)}.`
    : `${dev(c)}于${when}进行${periodOf(c)}的清卡失败（${why}）；须在截止日${deadlineOf(c)}前重新清卡。`;
}

/**
 * The product ran the clear-card on a hosted device itself (remote 清卡) and it failed: the platform's own words, and the
 * advice of the failure's class (REMOTE_OP_FAILURES) rather than a code.
 */
function remoteClearCardFailed(
  c: ExplainContext,
  code: keyof typeof REMOTE_OP_FAILURES,
  when: string,
): string {
  const en = c.locale === 'en';
  const advice = REMOTE_OP_FAILURES[code].advice[c.locale];
  const via = c.evidence.remoteTarget ? targetName(c.evidence.remoteTarget, c.locale) : null;
  const said = text(c.evidence.errorMessage, '');
  if (en) {
    const platform = via ? ` through ${via}` : ' on its hosting platform';
    return `The product cleared the card (清卡) of ${dev(c)} for ${periodOf(c)} remotely${platform} on ${when} and it failed${said ? ` (the platform said: ${said})` : ''}; ${advice}; it must be cleared before the deadline of ${deadlineOf(c)}.`;
  }
  const platform = via ? `通过${via}` : '通过托管平台';
  return `系统于${when}${platform}远程为${dev(c)}执行${periodOf(c)}的清卡，未能成功${said ? `（平台答复：${said}）` : ''}；${advice}，须在截止日${deadlineOf(c)}前完成清卡。`;
}

export function lockImminent(c: ExplainContext): string {
  const en = c.locale === 'en';
  const days = Number(c.evidence.daysLeft);
  const lockDate = localDate(c.evidence.lockDate, c.locale);
  if (days < 0)
    return en
      ? `${capitalize(dev(c))} is locked since its lock date ${lockDate} passed; it cannot issue invoices until its data is reported.`
      : `${dev(c)}已过锁死日期${lockDate}，已经锁死；完成数据上报前无法开具任何发票。`;
  if (en)
    return `${capitalize(dev(c))} will lock after ${lockDate} (${days === 0 ? 'today is its last day' : `${plural(days, 'day')} left`}) unless its data is reported.`;
  return `${dev(c)}将在${lockDate}后锁死（${days === 0 ? '今天是最后一天' : `还剩${days}天`}），请及时完成抄报和清卡。`;
}

export function offlineNear(c: ExplainContext): string {
  const e = c.evidence;
  const en = c.locale === 'en';
  const parts: string[] = [];
  if (e.durationNear)
    parts.push(
      en
        ? `has been offline for ${text(e.offlineHours)} of ${text(e.offlineHoursLimit)} allowed hours`
        : `已离线${text(e.offlineHours)}小时（允许${text(e.offlineHoursLimit)}小时）`,
    );
  if (e.amountNear)
    parts.push(
      en
        ? `has issued ${money(e.offlineAmount, 'en')} of its ${money(e.offlineAmountLimit, 'en')} offline allowance`
        : `离线开票金额已达 ${money(e.offlineAmount, 'zh-CN')}（上限 ${money(e.offlineAmountLimit, 'zh-CN')}）`,
    );
  const percent = text(e.thresholdPercent);
  return en
    ? `${capitalize(dev(c))} ${parts.join(' and ')} (at least ${percent}% of its limit); connect it before it stops issuing.`
    : `${dev(c)}${parts.join('，')}（已达上限的${percent}%以上）；请尽快联网上传，以免无法开票。`;
}

export function reportTotals(c: ExplainContext): string {
  const e = c.evidence;
  const en = c.locale === 'en';
  const type = invoiceTypeName(e.invoiceType, c.locale);
  const totals = (m: Record<string, unknown>) =>
    en
      ? `${plural(Number(m.count ?? 0), 'invoice')} totalling ${money(m.amount, 'en')} (tax ${money(m.taxAmount, 'en')})`
      : `${Number(m.count ?? 0)}张、金额合计 ${money(m.amount, 'zh-CN')}（税额 ${money(m.taxAmount, 'zh-CN')}）`;
  const device = isRecord(e.device) ? e.device : {};
  const ledger = isRecord(e.ledger) ? e.ledger : {};
  const authority = isRecord(e.authority) ? e.authority : null;
  return en
    ? `${capitalize(dev(c))}'s monthly summary (抄报) for ${periodOf(c)} shows ${totals(device)} of type ${type}, but our ledger has ${totals(ledger)}${authority ? ` and the authority ${totals(authority)}` : ''}.`
    : `${dev(c)}${periodOf(c)}的抄报汇总中${type}为${totals(device)}，但我方账簿为${totals(ledger)}${authority ? `，税局记录为${totals(authority)}` : ''}。`;
}
