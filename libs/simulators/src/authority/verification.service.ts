import {
  isDigitalType,
  isSpecialType,
  TYPE_BY_FPLX,
  type AuthorityReturnCode,
  type AuthorityVerifyResult,
} from '@lib/protocols';
import { sameMoney, toFen } from '../core/money.util';
import type { SimClock } from '../core/sim-clock';
import { dayOf } from '../core/shanghai-time.util';
import { isVisible, toView } from './authority-record';
import type { AuthorityRepository } from './authority.repository';

const MESSAGES: Record<AuthorityReturnCode, string> = {
  '00': '查验成功',
  '01': '查验失败：输入参数有误',
  '02': '查无此票',
  '03': '发票信息不一致',
  '04': '非本纳税人发票，无权查验',
  '05': '超过该张发票当日查验次数，请于次日再次查验',
};

const answer = (returncode: AuthorityReturnCode, detail?: string): AuthorityVerifyResult => ({
  returncode,
  returnmsg: detail ? `${MESSAGES[returncode]}（${detail}）` : MESSAGES[returncode],
});

function field(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

/**
 * 查验: special legacy → code, number, date, amount excl. tax; general legacy → code, number, date, last 6
 * of the check code; 数电 → number, date, total incl. tax. Only the seller or buyer may verify (04), each
 * invoice a limited number of times per simulated day and channel (05). Invisible uploads are "no data".
 */
export class VerificationService {
  constructor(
    private readonly repository: AuthorityRepository,
    private readonly clock: SimClock,
    private readonly dailyQuota: () => number,
  ) {}

  verify(channel: string, queryingTaxNo: string, raw: unknown): AuthorityVerifyResult {
    const input = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const [fplx, fpdm, fphm, kprq, jym, kpje] = ['fplx', 'fpdm', 'fphm', 'kprq', 'jym', 'kpje'].map((n) =>
      field(input, n),
    );
    const type = TYPE_BY_FPLX[fplx];
    if (!type) return answer('01', 'fplx');
    const digital = isDigitalType(type);
    if (digital ? fpdm !== '' : !/^(\d{10}|\d{12})$/.test(fpdm)) return answer('01', 'fpdm');
    if (!(digital ? /^\d{20}$/ : /^\d{8}$/).test(fphm)) return answer('01', 'fphm');
    if (!/^\d{8}$/.test(kprq)) return answer('01', 'kprq');
    const byAmount = digital || isSpecialType(type);
    if (byAmount && toFen(kpje) === null) return answer('01', 'kpje');
    if (!byAmount && !/^\d{6}$/.test(jym)) return answer('01', 'jym');

    const now = this.clock.now();
    const record = this.repository.get(`${fpdm}${fphm}`);
    if (!record || !isVisible(record, now)) return answer('02');
    if (queryingTaxNo !== record.sellerTaxNo && queryingTaxNo !== record.buyerTaxNo) return answer('04');
    if (this.repository.countQuery(channel, record.key, dayOf(now)) > this.dailyQuota()) return answer('05');

    if (record.type !== type) return answer('03', 'fplx');
    if (dayOf(record.issuedAtMs) !== kprq) return answer('03', 'kprq');
    if (digital && !sameMoney(kpje, record.totalAmount)) return answer('03', 'kpje');
    if (!digital && byAmount && !sameMoney(kpje, record.amount)) return answer('03', 'kpje');
    if (!byAmount && (record.checkCode ?? '').slice(-6) !== jym) return answer('03', 'jym');
    return { ...answer('00'), invoice: toView(record) };
  }
}
