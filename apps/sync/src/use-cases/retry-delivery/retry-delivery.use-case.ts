import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TargetName } from '@lib/providers';
import { ReopenDeliveryUseCase, ReopenResult } from '../reopen-delivery/reopen-delivery.use-case';

/** An operator's manual retry: the same re-opening as a reconcile re-upload, in its own transaction. */
@Injectable()
export class RetryDeliveryUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reopen: ReopenDeliveryUseCase,
  ) {}

  execute(invoiceKey: string, target: TargetName, reason: string, requestedBy: string): Promise<ReopenResult> {
    return this.dataSource.transaction((manager) =>
      this.reopen.execute(manager, { invoiceKey, target, reason, requestedBy: `user:${requestedBy}` }),
    );
  }
}
