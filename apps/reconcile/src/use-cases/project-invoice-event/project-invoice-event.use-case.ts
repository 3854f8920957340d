import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LedgerEventRecord } from '../../projections/ledger.model';
import { LedgerProjectionRepository } from '../../projections/ledger-projection.repository';

/** Applies one invoice event to the ledger projection, idempotently (a replayed event changes nothing). */
@Injectable()
export class ProjectInvoiceEventUseCase {
  constructor(private readonly ledger: LedgerProjectionRepository) {}

  async execute(manager: EntityManager, event: LedgerEventRecord): Promise<void> {
    const summary = {
      kind: event.kind,
      deviceId: event.deviceId,
      branchId: event.branchId,
      amount: event.amount,
      taxAmount: event.taxAmount,
      totalAmount: event.totalAmount,
      contentHash: event.contentHash,
    };
    const original = event.colour === 'red' ? event.originalKey : event.invoiceKey;
    // An original and its red invoices live on different partitions: without this lock, a red invoice and its
    // original applied concurrently would each miss the other's uncommitted row and the reversal would be lost.
    if (original) await this.ledger.lockFamily(manager, original);
    if (!(await this.ledger.recordEvent(manager, event, summary))) return;
    if (event.kind !== 'voided') await this.ledger.recordVersion(manager, event);
    await this.ledger.upsertInvoice(manager, event);
    if (original) await this.ledger.refreshReversal(manager, original);
  }
}
