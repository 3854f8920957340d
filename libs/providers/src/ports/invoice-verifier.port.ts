import { VerificationQuery } from '@lib/domain';
import { AuthorityRecord } from './authority-records.port';

/** 查验 answers: 00 ok, 01 bad inputs, 02 no data, 03 mismatch, 04 not your invoice, 05 daily quota used up. */
export type VerificationCode = '00' | '01' | '02' | '03' | '04' | '05';

export interface VerificationAnswer {
  /** Which channel answered (`authority`, or the alternate channel `baiwang`). */
  channel: string;
  code: VerificationCode;
  message: string;
  /** The authority's view of the invoice when the answer is 00. */
  invoice?: AuthorityRecord;
}

/** 查验 (authenticity verification) through one channel; build the query with @lib/domain verificationQueryOf. */
export interface InvoiceVerifier {
  readonly channel: string;
  verify(taxNo: string, query: VerificationQuery): Promise<VerificationAnswer>;
}

export const VERIFICATION_CODES: readonly VerificationCode[] = ['00', '01', '02', '03', '04', '05'];
