import { PullOutcome } from './pull.service';

/**
 * Why a run whose pull did not list the whole period is incomplete, and what it evaluated all the same (a
 * per-invoice pull that checked no invoice proved nothing: no MISSING_* finding, as for any unfinished pull).
 */
export function incompleteReason(pulled: Extract<PullOutcome, { complete: false }>): string {
  if (pulled.coverage === 'per-invoice' && (pulled.checked ?? 0) > 0) {
    return (
      `the authority's list was unavailable, so each ledger invoice was checked one by one: ${pulled.supports.join(', ')} ` +
      `were evaluated for the invoices checked only, and MISSING_IN_LEDGER was not: ${pulled.reason}`
    );
  }
  return `the authority pull did not finish, so no MISSING_* finding was opened: ${pulled.reason}`;
}
