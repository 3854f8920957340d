import { Facts } from './finding.model';
import { localDate, plural, shortDate, targetName, wholeDays, yuan } from './text.util';

/** One sentence each, for a finance clerk: what is wrong, why we think so, and what was done. */
type Money = { amount?: string; taxAmount?: string; totalAmount?: string; status?: string; count?: number };

const STATUS_WORDS: Record<string, string> = {
  NORMAL: 'normal',
  VOIDED: 'voided',
  RED_REVERSED: 'red-reversed',
  issued: 'normal',
  voided: 'voided',
  red_reversed: 'red-reversed',
};

export function missingInAuthority(key: string, f: Facts, now: Date, attempt: number, max: number, escalated: boolean): string {
  const action = escalated
    ? `${plural(max, 're-upload')} did not help, so it was escalated for a person to check with the tax office`
    : `re-upload requested (attempt ${attempt} of ${max})`;
  switch (f.cause) {
    case 'NOT_VISIBLE': {
      const days = wholeDays(f.lastAcceptedAt, now);
      return `Invoice ${key} was accepted by ${targetName(f.acceptedVia)} on ${shortDate(f.lastAcceptedAt, now)} but the authority has no record after ${plural(days, 'day')}; ${action}.`;
    }
    case 'DELIVERY_FAILED':
      return `Invoice ${key} could not be delivered to the authority (${String(f.syncErrorCode)}) after ${plural(Number(f.syncAttempts ?? 1), 'attempt')}; ${action}.`;
    case 'DELIVERY_REJECTED':
      return `Invoice ${key} was rejected by the authority (${String(f.syncErrorCode)}: ${String(f.syncErrorMessage ?? 'no message')}), so it must be corrected and issued again.`;
    default:
      return `Invoice ${key} has not been delivered to the authority yet (sync is still working on it), so this is not an authority problem.`;
  }
}

export function missingInLedger(key: string, f: Facts, now: Date): string {
  const authority = (f.authority ?? {}) as Money;
  return `Invoice ${key} (${yuan(authority.totalAmount)} yuan, issued ${shortDate(f.issuedAt, now)}) is on record at the authority but not in our ledger; it was back-filled from the authority's record and needs a person to confirm it.`;
}

export function amountMismatch(key: string, f: Facts, correctionRequested: boolean): string {
  const l = (f.ledger ?? {}) as Money;
  const a = (f.authority ?? {}) as Money;
  const parts: string[] = [];
  if (l.totalAmount !== a.totalAmount) parts.push(`total ${yuan(l.totalAmount)} here but ${yuan(a.totalAmount)} at the authority`);
  if (l.amount !== a.amount) parts.push(`amount ${yuan(l.amount)} vs ${yuan(a.amount)}`);
  if (l.taxAmount !== a.taxAmount) parts.push(`tax ${yuan(l.taxAmount)} vs ${yuan(a.taxAmount)}`);
  const done = correctionRequested ? 'a red-letter correction was requested' : 'a person must decide which is right';
  return `Invoice ${key} differs from the authority's record (${parts.join(', ')}); ${done}.`;
}

/**
 * 查验 03 (a per-invoice pull): the authority holds the invoice with other content and gives no numbers, so nobody
 * can say yet what to correct; a person looks at the authority's copy first.
 */
export function authorityCopyDiffers(key: string, f: Facts, now: Date, correctionUnderWay: boolean): string {
  const done = correctionUnderWay ? 'a red-letter correction is already under way' : 'nothing was corrected automatically';
  return `Invoice ${key} differs from the authority's copy (查验 through ${String(f.channel)} answered 03 on ${shortDate(f.checkedAt, now)}: type, date or amount differ, and the authority gives no numbers); ${done}, so a person must check the authority's copy with 查验 or on the platform.`;
}

export function statusMismatch(key: string, f: Facts): string {
  const ours = STATUS_WORDS[String(f.ledgerState)] ?? String(f.ledgerState);
  const theirs = STATUS_WORDS[String(f.authorityStatus)] ?? String(f.authorityStatus);
  return `Invoice ${key} is ${ours} in our ledger but ${theirs} at the authority; a correction was requested.`;
}

export function duplicateInvoice(key: string, f: Facts): string {
  const versions = (f.versions ?? []) as (Money & { side: string })[];
  const parts = (['ledger', 'authority'] as const)
    .map((side) => ({ side, totals: versions.filter((v) => v.side === side).map((v) => yuan(v.totalAmount)) }))
    .filter((s) => s.totals.length > 1)
    .map((s) => `${s.totals.length} in ${s.side === 'ledger' ? 'our ledger' : "the authority's records"} (totals ${s.totals.join(', ')})`);
  return `Invoice ${key} has conflicting versions: ${parts.join(' and ')}; a person must decide which one is right.`;
}

export function clearCardOverdue(deviceId: string, f: Facts, now: Date): string {
  const authority = deviceOnly(f);
  if (authority) {
    const says = authority.status === 'FAILED' ? `its clear-card for ${String(f.period)} failed (${authorityError(authority)})` : `no clear-card for ${String(f.period)}`;
    return `${deviceReported(deviceId, f, authority, now)} but the authority has ${says} and the filing deadline of ${localDate(f.deadline)} has passed; it will lock unless it clears its card again.`;
  }
  const last = f.lastStatus === 'failed' ? ` (the last attempt failed: ${String(f.errorCode ?? 'no code')})` : '';
  return `Device ${deviceId} has not cleared its card (清卡) for ${String(f.period)} and the filing deadline of ${localDate(f.deadline)} has passed${last}.`;
}

export function clearCardFailed(deviceId: string, f: Facts, now: Date): string {
  const authority = deviceOnly(f);
  if (authority) {
    return `${deviceReported(deviceId, f, authority, now)} but the authority says it failed (${authorityError(authority)}); it will lock unless it clears its card again before the deadline of ${localDate(f.deadline)}.`;
  }
  return `Device ${deviceId} failed to clear its card (清卡) for ${String(f.period)} on ${shortDate(f.lastAttemptAt, now)} (${String(f.errorCode ?? 'no code')}: ${String(f.errorMessage ?? 'no message')}); it must clear again before the deadline of ${localDate(f.deadline)}.`;
}

/** The authority's view (evidence.authority) when it contradicts the device's report of a successful clear-card. */
function deviceOnly(f: Facts): Facts | null {
  const authority = f.authority as Facts | null | undefined;
  return authority?.agreement === 'DEVICE_ONLY' ? authority : null;
}

function deviceReported(deviceId: string, f: Facts, authority: Facts, now: Date): string {
  // an answer carried over from an earlier run (the authority could not be asked this time) says when it was given
  const asOf = authority.carriedFromRun ? ` (the authority's last answer, on ${shortDate(authority.checkedAt, now)}; it could not be asked this time)` : '';
  return `Device ${deviceId} (机器编号 ${String(authority.deviceNo)}) reported its clear-card (清卡) for ${String(f.period)} on ${shortDate(f.deviceClearedAt, now)}${asOf}`;
}

function authorityError(authority: Facts): string {
  return `${String(authority.errorCode ?? 'no code')}: ${String(authority.errorMessage ?? 'no message')}`;
}

export function lockImminent(deviceId: string, f: Facts): string {
  const days = Number(f.daysLeft);
  if (days < 0) return `Device ${deviceId} is locked since its lock date ${localDate(f.lockDate)} passed; it cannot issue invoices until its data is reported.`;
  const when = days === 0 ? 'today is its last day' : `${plural(days, 'day')} left`;
  return `Device ${deviceId} will lock after ${localDate(f.lockDate)} (${when}) unless its data is reported.`;
}

export function offlineNear(deviceId: string, f: Facts): string {
  const parts: string[] = [];
  if (f.durationNear) parts.push(`has been offline for ${String(f.offlineHours)} of ${String(f.offlineHoursLimit)} allowed hours`);
  if (f.amountNear) parts.push(`has issued ${yuan(f.offlineAmount)} of its ${yuan(f.offlineAmountLimit)} yuan offline allowance`);
  return `Device ${deviceId} ${parts.join(' and ')} (at least ${String(f.thresholdPercent)}% of its limit); connect it before it stops issuing.`;
}

export function reportTotals(deviceId: string, f: Facts): string {
  const d = f.device as Money;
  const l = f.ledger as Money;
  const a = f.authority as Money | null;
  const summary = (m: Money) => `${plural(Number(m.count), 'invoice')} totalling ${yuan(m.amount)} (tax ${yuan(m.taxAmount)})`;
  const authority = a ? ` and the authority ${summary(a)}` : '';
  return `Device ${deviceId}'s monthly summary (抄报) for ${String(f.period)} shows ${summary(d)} of type ${String(f.invoiceType)}, but our ledger has ${summary(l)}${authority}.`;
}
