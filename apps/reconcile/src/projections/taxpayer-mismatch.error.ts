import { AppError } from '@lib/common';
import { LedgerEventRecord } from './ledger.model';
import { ReconcileErrorCode } from '../reconcile-error-codes';

/**
 * An invoice event whose seller is not the taxpayer the ledger row belongs to (two taxpayers' keys collide, or a
 * device reported for another seller). Sync ignores such an event under the same code; here it is a conflict the
 * consumer dead-letters, so the event stays visible to an operator instead of changing another taxpayer's invoice.
 */
export function taxpayerMismatch(e: LedgerEventRecord, ownerTaxNo: string | null): AppError {
  const owner = ownerTaxNo ?? '(unknown)';
  return new AppError(
    ReconcileErrorCode.TAXPAYER_MISMATCH,
    'conflict',
    `invoice ${e.invoiceKey} belongs to taxpayer ${owner}; a ${e.kind} event of taxpayer ${e.taxNo} cannot change it`,
    { details: [{ code: 'TAXPAYER_MISMATCH', field: 'data.taxNo', message: `expected ${owner}` }] },
  );
}
