import { VerificationQuery } from '@lib/domain';
import { isExternalCallError } from '@lib/resilience';
import { InvoiceVerifier, VerificationAnswer } from '../ports/invoice-verifier.port';
import { verificationResultOf, VerificationResult } from './verification-outcome';

/**
 * The caller's count of one invoice's daily 查验 quota per channel, asked before each call so that a check the quota
 * would refuse is never sent (and a call that never reached the channel is given back).
 */
export interface VerificationQuotaGate {
  /** Takes one check of the invoice on this channel today; false when none is left (then the channel is not called). */
  take(channel: string): Promise<boolean>;
  /** The call never reached the channel (breaker open, outage refused before processing): the check is given back. */
  giveBack(channel: string): Promise<void>;
  /** The channel answered 05 although our count had checks left (someone else asked too): none is left today. */
  exhaust(channel: string): Promise<void>;
}

/** What happened on one channel while verifying one invoice. */
export interface VerificationAttempt {
  channel: string;
  /** `answered`: a conclusive answer; `quota`: none left (ours, or the channel's 05); `unavailable` / `failed`: no answer. */
  outcome: 'answered' | 'quota' | 'unavailable' | 'failed' | 'bad_input';
  /** The failure's or the answer's code (QUOTA_EXHAUSTED, AUTHORITY_SERVICE_UNAVAILABLE, 02, …). */
  code: string;
  detail: string;
}

export interface FailoverVerification {
  /** The conclusive answer, when a channel gave one. */
  answer: VerificationAnswer | null;
  /** Never QUOTA_EXHAUSTED: a used-up quota sends the check on to the next channel (an attempt says so). */
  result: Exclude<VerificationResult, 'QUOTA_EXHAUSTED'> | null;
  attempts: VerificationAttempt[];
}

/**
 * 查验 of one received invoice through the channels in order (the authority's verification service first, then
 * Baiwang's `baiwang.input.compliance.validate`): the next channel is asked only when one is down or failed, or when
 * the invoice's quota on it is used up. Each call goes through its adapter's deadline, retry and breaker; a
 * verification changes nothing at the authority, so asking the next channel after an unknown outcome duplicates no
 * effect (it costs that channel's quota only, which the gate counts).
 */
export class FailoverInvoiceVerifier {
  constructor(private readonly verifiers: readonly InvoiceVerifier[]) {}

  get channels(): string[] {
    return this.verifiers.map((v) => v.channel);
  }

  async verify(taxNo: string, query: VerificationQuery, gate: VerificationQuotaGate): Promise<FailoverVerification> {
    const attempts: VerificationAttempt[] = [];
    for (const verifier of this.verifiers) {
      const channel = verifier.channel;
      if (!(await gate.take(channel))) {
        attempts.push({ channel, outcome: 'quota', code: 'QUOTA_EXHAUSTED', detail: 'no check of this invoice left today on this channel (not called)' });
        continue;
      }
      let answer: VerificationAnswer;
      try {
        answer = await verifier.verify(taxNo, query);
      } catch (error) {
        const notSent = isExternalCallError(error) && error.kind === 'not_sent';
        if (notSent) await gate.giveBack(channel);
        attempts.push({
          channel,
          outcome: notSent ? 'unavailable' : 'failed',
          code: isExternalCallError(error) ? error.code : 'VERIFICATION_FAILED',
          detail: error instanceof Error ? error.message.slice(0, 500) : String(error),
        });
        continue;
      }
      const result = verificationResultOf(answer);
      if (result === 'QUOTA_EXHAUSTED') {
        await gate.exhaust(channel);
        attempts.push({ channel, outcome: 'quota', code: answer.code, detail: answer.message });
        continue;
      }
      if (result === 'BAD_INPUT') {
        attempts.push({ channel, outcome: 'bad_input', code: answer.code, detail: answer.message });
        return { answer: null, result, attempts };
      }
      attempts.push({ channel, outcome: 'answered', code: answer.code, detail: answer.message });
      return { answer, result, attempts };
    }
    return { answer: null, result: null, attempts };
  }
}
