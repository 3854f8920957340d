import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, CLOCK, Clock } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { TargetName } from '@lib/providers';
import { LedgerReadsRepository } from '../../ledger/ledger-reads.repository';
import { ReopenDeliveryUseCase, ReopenResult } from '../reopen-delivery/reopen-delivery.use-case';
import { SyncErrorCode } from '../../sync-error-codes';

/**
 * A person's (or the admin token's) manual retry: the same re-opening as a reconcile re-upload, in its own
 * transaction with its audit entry. An invoice outside the caller's branches answers exactly like an unknown one.
 */
@Injectable()
export class RetryDeliveryUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerReadsRepository,
    private readonly reopen: ReopenDeliveryUseCase,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(invoiceKey: string, target: TargetName, reason: string, principal: Principal): Promise<ReopenResult> {
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const invoice = await this.ledger.ownerInScope(manager, invoiceKey, principal.scope);
      if (!invoice)
        throw new AppError(SyncErrorCode.INVOICE_NOT_FOUND, 'not_found', `invoice ${invoiceKey} is not in the ledger`);
      const result = await this.reopen.execute(manager, {
        invoiceKey,
        target,
        reason,
        requestedBy: `${actor.kind}:${actor.subject}`,
      });
      await this.audit.record(manager, {
        at: this.clock.now(),
        actor,
        action: 'delivery.retry',
        targetType: 'invoice',
        targetId: invoiceKey,
        taxNo: invoice.tax_no,
        branchId: invoice.branch_id,
        reason,
        detail: { target, reopened: result.reopened, unchanged: result.unchanged },
      });
      return result;
    });
  }
}
