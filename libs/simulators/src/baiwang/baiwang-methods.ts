import type { BaiwangValidateResponse } from '@lib/protocols';
import { asRecord } from '../core/http.util';
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
