import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError } from '@lib/common';
import { FindingRow } from '../findings/finding.model';
import { ReconcileErrorCode } from '../reconcile-error-codes';
import { addMoney, toFen } from './correction.model';
import { CorrectionsRepository } from './corrections.repository';

/** The amounts a proposal reverses. */
export interface RedAmounts {
  amount: string;
  taxAmount: string;
}

/** What a proposal and a re-issue are checked against before anything is written: the original and the ledger. */
@Injectable()
export class CorrectionChecks {
  constructor(private readonly corrections: CorrectionsRepository) {}

  /** A re-issue is an invoice of our ledger, of the finding's taxpayer, blue and in force, and not the original. */
  async reissue(m: EntityManager, finding: FindingRow, invoiceKey: string): Promise<void> {
    const invoice = await this.corrections.ledgerInvoice(m, invoiceKey);
    const why =
      invoiceKey === finding.invoiceKey
        ? 'is the original itself'
        : !invoice || invoice.source !== 'ledger'
          ? 'is not in our ledger'
          : invoice.taxNo !== finding.taxNo
            ? `belongs to another taxpayer (${invoice.taxNo})`
            : invoice.colour !== 'blue'
              ? 'is a red invoice'
              : invoice.state !== 'issued'
                ? `is ${invoice.state}`
                : null;
    if (why) {
      throw new AppError(
        ReconcileErrorCode.CORRECTION_REISSUE_INVALID,
        'validation',
        `invoice ${invoiceKey} cannot re-issue invoice ${finding.invoiceKey}: it ${why}`,
        { details: [{ code: 'REISSUE_INVALID', field: 'invoiceKey', message: why }] },
      );
    }
  }

  /** What is left of the original to reverse: the authority's copy (the ledger's when it has none) less our red invoices. */
  async remaining(m: EntityManager, finding: FindingRow, input: RedAmounts): Promise<void> {
    const row = await this.corrections.remainingOf(m, finding.id);
    if (!row?.total) {
      throw new AppError(
        ReconcileErrorCode.CORRECTION_ORIGINAL_UNKNOWN,
        'validation',
        `the amounts of invoice ${finding.invoiceKey} are not known: a correction cannot be sized`,
      );
    }
    const remaining = toFen(row.total) - toFen(row.reversed);
    const asked = toFen(input.amount) + toFen(input.taxAmount);
    if (asked > remaining) {
      throw new AppError(
        ReconcileErrorCode.CORRECTION_EXCEEDS_REMAINING,
        'validation',
        `the correction reverses ${addMoney(input.amount, input.taxAmount)}, more than the ${fenText(remaining)} left of invoice ${finding.invoiceKey}`,
        {
          details: [
            { code: 'EXCEEDS_REMAINING', field: 'amount', message: `at most ${fenText(remaining)} in total` },
          ],
        },
      );
    }
  }
}

function fenText(fen: bigint): string {
  const v = fen < 0n ? 0n : fen;
  return `${v / 100n}.${String(v % 100n).padStart(2, '0')}`;
}
