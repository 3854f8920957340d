import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, CLOCK, Clock } from '@lib/common';
import { queryOne } from '@lib/persistence';
import { actorOf, AuditLog, Principal, scopeParam } from '@lib/platform';
import { TargetName } from '@lib/providers';
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
    private readonly reopen: ReopenDeliveryUseCase,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(invoiceKey: string, target: TargetName, reason: string, principal: Principal): Promise<ReopenResult> {
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const invoice = await queryOne<{ tax_no: string; branch_id: string }>(
        manager,
        `SELECT tax_no, branch_id FROM invoices
          WHERE invoice_key = $1 AND ($2::text[] IS NULL OR branch_id = ANY($2::text[]))`,
        [invoiceKey, scopeParam(principal.scope)],
      );
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
