import { EntityManager } from 'typeorm';
import { ADVISORY_LOCK_CLASSES } from '@lib/persistence';

/**
 * A taxpayer's period is written by one transaction at a time: a run's merge and compare, a received invoice's check.
 * Each takes this transaction-scoped advisory lock first; the key is the same for all of them, so it lives here once.
 */
export async function lockReconcileScope(m: EntityManager, taxNo: string, period: string): Promise<void> {
  await m.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [
    ADVISORY_LOCK_CLASSES.reconcileScope,
    `${taxNo}/${period}`,
  ]);
}
