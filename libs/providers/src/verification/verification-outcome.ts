import { VerificationAnswer } from '../ports/invoice-verifier.port';

/**
 * What one 查验 answer means for an invoice we received (进项), whichever service gave it:
 * - `VALID`: the authority holds it as entered and it is normal;
 * - `VOIDED`, `RED_REVERSED`: it holds it, but the supplier voided (作废) or red-reversed (红冲) it;
 * - `NOT_FOUND` (02), `MISMATCH` (03: type, date or amount differ), `NOT_BUYER` (04: not addressed to the asking taxpayer);
 * - `QUOTA_EXHAUSTED` (05): this invoice's checks on this channel are used up today (ask another channel, or tomorrow);
 * - `BAD_INPUT` (01): the service refused the query's fields.
 */
export const VERIFICATION_RESULTS = [
  'VALID',
  'VOIDED',
  'RED_REVERSED',
  'NOT_FOUND',
  'MISMATCH',
  'NOT_BUYER',
  'QUOTA_EXHAUSTED',
  'BAD_INPUT',
] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

/** Results that say something about the invoice itself (the others say something about the query or the quota). */
export const CONCLUSIVE_RESULTS: readonly VerificationResult[] = [
  'VALID',
  'VOIDED',
  'RED_REVERSED',
  'NOT_FOUND',
  'MISMATCH',
  'NOT_BUYER',
];

export function verificationResultOf(answer: VerificationAnswer): VerificationResult {
  switch (answer.code) {
    case '00':
      if (answer.invoice?.status === 'VOIDED') return 'VOIDED';
      if (answer.invoice?.status === 'RED_REVERSED') return 'RED_REVERSED';
      return 'VALID';
    case '01':
      return 'BAD_INPUT';
    case '02':
      return 'NOT_FOUND';
    case '03':
      return 'MISMATCH';
    case '04':
      return 'NOT_BUYER';
    case '05':
      return 'QUOTA_EXHAUSTED';
  }
}
