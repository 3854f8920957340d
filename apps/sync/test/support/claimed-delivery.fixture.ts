import { digitalSpecialInvoice } from '../../../../libs/domain/src/testing/invoice.fixture';
import { ClaimedDelivery } from '../../src/delivery/delivery.model';
import { RetryPolicy } from '../../src/delivery/retry.policy';

export const POLICY: RetryPolicy = {
  maxAttempts: 4,
  backoff: { initialMs: 1_000, maxMs: 60_000, multiplier: 2, jitter: 0.5 },
  breakerRetryMs: 2_000,
  pollFirstMs: 4_000,
  pollMaxMs: 30_000,
  pendingMaxMs: 1_800_000,
  absentGraceMs: 600_000,
};

export function claimed(over: Partial<ClaimedDelivery> = {}): ClaimedDelivery {
  const invoice = digitalSpecialInvoice();
  return {
    id: '1',
    invoiceKey: invoice.number,
    kind: 'issued',
    target: 'authority',
    taxNo: invoice.sellerTaxNo,
    serialNo: 'SYSERIAL1',
    generation: 1,
    attempts: 0,
    polls: 0,
    claims: 1,
    needsLookup: false,
    pendingSince: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    invoice,
    routing: { taxNo: invoice.sellerTaxNo, platforms: ['baiwang'], allowFailover: true },
    ...over,
  };
}
