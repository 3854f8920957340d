import { filingDeadline, nextPeriod } from '@lib/domain';
import { BAIWANG_ERRORS, type BaiwangClearCardResponse, type BaiwangValidateResponse } from '@lib/protocols';
import { asRecord } from '../core/http.util';
import type { SimClock } from '../core/sim-clock';
import { periodOf, previousPeriod, PERIOD_PATTERN } from '../core/shanghai-time.util';
import type { AuthoritySimulator } from '../authority/authority.simulator';
import type { BaiwangOutcome } from './baiwang-uploads.service';

/** `baiwang.input.compliance.validate`: 查验 against the authority's data, with this channel's own quota. */
export function baiwangValidate(
  authority: AuthoritySimulator,
  raw: unknown,
): BaiwangOutcome<BaiwangValidateResponse> {
  const body = asRecord(raw);
  const text = (name: string): string => (typeof body[name] === 'string' ? (body[name] as string) : '');
  const checkCode = text('checkCode');
  const result = authority.verification.verify('baiwang', text('taxNo'), {
    fplx: text('invoiceType'),
    fpdm: text('invoiceCode'),
    fphm: text('invoiceNumber'),
    kprq: text('billingDate').replace(/-/g, ''),
    jym: checkCode.length > 6 ? checkCode.slice(-6) : checkCode,
    kpje: text('amount'),
  });
  return {
    ok: true,
    response: { resultCode: result.returncode, resultMsg: result.returnmsg, invoice: result.invoice },
  };
}

/** `baiwang.output.device.onekeywriteback`: clears the device for the period (default: last month). */
export function baiwangClearCard(
  authority: AuthoritySimulator,
  clock: SimClock,
  raw: unknown,
): BaiwangOutcome<BaiwangClearCardResponse> {
  const body = asRecord(raw);
  const taxNo = typeof body.taxNo === 'string' ? body.taxNo : '';
  const machineNo = typeof body.machineNo === 'string' ? body.machineNo : '';
  const period = typeof body.period === 'string' ? body.period : previousPeriod(periodOf(clock.now()));
  if (!taxNo || !machineNo || !PERIOD_PATTERN.test(period)) {
    return {
      ok: false,
      error: BAIWANG_ERRORS.INVALID_BODY,
      sub: { subMsg: 'taxNo, machineNo, period (YYYY-MM)' },
    };
  }
  const { ok, view } = authority.clearCards.writeBack(
    taxNo,
    machineNo,
    period,
    new Date(clock.now()).toISOString(),
  );
  if (!ok) {
    return {
      ok: false,
      error: BAIWANG_ERRORS.CLEAR_CARD_FAILED,
      sub: { subCode: view.errorCode ?? undefined, subMsg: view.errorMessage ?? undefined },
    };
  }
  return {
    ok: true,
    response: {
      taxNo,
      machineNo,
      period,
      result: 'SUCCESS',
      clearedAt: view.clearedAt ?? '',
      lockDate: filingDeadline(nextPeriod(period)).deadline,
    },
  };
}
