import { FindingType, MaintenanceTarget } from '@lib/contracts';

/**
 * A scheduled maintenance window of the scope's taxpayer, as the comparison sees it: data that should have arrived
 * while it lasted may still come until `holdUntil` (its end plus RECONCILE_MAINTENANCE_GRACE_MS).
 */
export interface MaintenanceSpan {
  windowId: string;
  target: MaintenanceTarget;
  startsAt: Date;
  endsAt: Date;
  holdUntil: Date;
}

/**
 * Finding types a window holds as a whole while it holds: nothing of the type is raised, and nothing of it resolves
 * (the run cannot tell). Ours (the gateway is down): devices can neither send their invoices (MISSING_IN_LEDGER) nor
 * their reports and readings. The authority's: 抄报 and 清卡 go through the authority. A platform's window holds
 * only the invoices that platform delivered (MISSING_IN_AUTHORITY, per invoice: see `invoiceHoldsAt`).
 */
const WHOLE_TYPE_HOLDS: Record<MaintenanceTarget, readonly FindingType[]> = {
  product: ['MISSING_IN_LEDGER', 'REPORT_MISSING', 'CLEAR_CARD_MISSING', 'DEVICE_SILENT'],
  authority: ['REPORT_MISSING', 'CLEAR_CARD_MISSING'],
  baiwang: [],
  nuonuo: [],
};

/** Windows whose outage makes a pull of the authority fail: they stop RECONCILIATION_INCOMPLETE's clock. */
const PULL_TARGETS: readonly MaintenanceTarget[] = ['authority', 'product'];

/** The spans that hold at `now`: started, and not yet past their end plus the grace. */
export function holdingAt(spans: readonly MaintenanceSpan[], now: Date): MaintenanceSpan[] {
  return spans.filter((s) => s.startsAt.getTime() <= now.getTime() && now.getTime() < s.holdUntil.getTime());
}

export function heldTypesAt(spans: readonly MaintenanceSpan[], now: Date): FindingType[] {
  return [...new Set(holdingAt(spans, now).flatMap((s) => WHOLE_TYPE_HOLDS[s.target]))];
}

/**
 * What the MISSING_IN_AUTHORITY comparison holds per invoice: an invoice that should have become visible (its
 * acceptance, or its issue when not delivered, plus the visibility lag) after such a window began waits until the
 * window's `holdUntil`. Ours and the authority's hold every invoice; a platform's those it accepted (`target`).
 */
export function invoiceHoldsAt(spans: readonly MaintenanceSpan[], now: Date): { target: MaintenanceTarget; startsAt: string }[] {
  return holdingAt(spans, now).map((s) => ({ target: s.target, startsAt: s.startsAt.toISOString() }));
}

/** Whether RECONCILIATION_INCOMPLETE is held at `now` (a window that breaks the pull holds). */
export function incompleteHeldAt(spans: readonly MaintenanceSpan[], now: Date): boolean {
  return holdingAt(spans, now).some((s) => PULL_TARGETS.includes(s.target));
}

/**
 * How much of [from, to) windows that break the pull cover (overlapping windows counted once): that time does not
 * count towards RECONCILIATION_INCOMPLETE's clock.
 */
export function pausedMs(spans: readonly MaintenanceSpan[], from: Date, to: Date): number {
  const parts = spans
    .filter((s) => PULL_TARGETS.includes(s.target))
    .map((s) => [Math.max(s.startsAt.getTime(), from.getTime()), Math.min(s.endsAt.getTime(), to.getTime())] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let reached = -Infinity;
  for (const [a, b] of parts) {
    const start = Math.max(a, reached);
    if (b > start) total += b - start;
    reached = Math.max(reached, b);
  }
  return total;
}
