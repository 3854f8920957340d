import { z } from 'zod';
import type { AuthorityInvoiceView, WireInvoiceStatus } from '@lib/protocols';
import { toFen } from '../core/money.util';
import { toView } from './authority-record';
import type { AuthoritySimulator } from './authority.simulator';

/** A received invoice's status at the authority, as a person planting one says it. */
export const RECEIVED_STATUSES = ['normal', 'voided', 'red-reversed'] as const;
export type ReceivedStatus = (typeof RECEIVED_STATUSES)[number];

const STATUS: Record<ReceivedStatus, WireInvoiceStatus> = {
  normal: 'NORMAL',
  voided: 'VOIDED',
  'red-reversed': 'RED_REVERSED',
};

/**
 * `POST /__sandbox/authority/received-invoices`: invoices OTHER taxpayers (suppliers) issued to a buyer, as the authority
 * holds them, each with its status. The same rules as any upload apply (formats, totals, the supplier's USCC), and the
 * buyer's tax number is required: only a taxpayer the invoice names may verify it (查验 04 otherwise).
 */
export const plantReceivedSchema = z.object({
  invoices: z
    .array(
      z.object({
        invoice: z.record(z.string(), z.unknown()),
        status: z.enum(RECEIVED_STATUSES).default('normal'),
        /** Visible to 查验 at once unless a lag is given. */
        visibilityLagMs: z.number().int().min(0).optional(),
      }),
    )
    .min(1)
    .max(10_000),
});
export type PlantReceivedInput = z.input<typeof plantReceivedSchema>;

/** `POST /__sandbox/authority/invoices/{key}/status`: the supplier voids or red-reverses an invoice later (or a test undoes it). */
export const receivedStatusSchema = z.object({ status: z.enum(RECEIVED_STATUSES) });

export type PlantReceivedOutcome = ReturnType<AuthoritySimulator['seed']>;

export function plantReceived(authority: AuthoritySimulator, input: PlantReceivedInput): PlantReceivedOutcome {
  const { invoices } = plantReceivedSchema.parse(input);
  const missingBuyer = invoices.flatMap((item, index) =>
    typeof item.invoice.buyerTaxNo === 'string' && item.invoice.buyerTaxNo !== ''
      ? []
      : [{ index, errors: [{ code: 'BUYER_REQUIRED', field: 'buyerTaxNo', message: 'a received invoice names its buyer' }] }],
  );
  const planted = invoices.map((item, index) => ({ item, index })).filter(({ index }) => !missingBuyer.some((m) => m.index === index));
  const seeded = authority.seed(
    planted.map(({ item }) => ({ invoice: item.invoice, status: STATUS[item.status], visibilityLagMs: item.visibilityLagMs })),
  );
  // seed() numbers its errors within what it was given: back to the caller's positions
  const seedErrors = seeded.errors.map((e) => ({ ...e, index: planted[e.index].index }));
  return { ...seeded, errors: [...missingBuyer, ...seedErrors].sort((a, b) => a.index - b.index) };
}

/** Changes the status of an invoice the authority holds (key with or without the dash); null when it holds none. */
export function setInvoiceStatus(
  authority: AuthoritySimulator,
  invoiceKey: string,
  status: ReceivedStatus,
): AuthorityInvoiceView | null {
  const record = authority.repository.get(invoiceKey.replace('-', ''));
  if (!record) return null;
  record.status = STATUS[status];
  // a reversal by red invoices reverses the whole total; the other statuses carry none
  record.redReversedFen = status === 'red-reversed' ? -(toFen(record.totalAmount) ?? 0n) : 0n;
  return toView(record);
}
