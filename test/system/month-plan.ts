// What happens in the scenario's month, decided before anything runs: every invoice of every device, the planted
// problems, the device events, and the findings they must produce. Pure and deterministic for a given `now`.
import { randomUUID } from 'node:crypto';
import {
  daysUntilDeadline,
  filingDeadline,
  nextPeriod,
  periodInFiling,
  periodOf,
  periodStart,
  previousPeriod,
  shanghaiDateOf,
} from '@lib/domain';
import { planCorrections, type CorrectionsPlan } from './corrections-play';
import {
  buildEnterprise,
  type Device,
  type Enterprise,
  type EnterpriseScale,
  type Taxpayer,
} from './enterprise';
import { planReceived, type ReceivedPlan } from './received-play';
import {
  INVOICE_TYPES,
  InvoiceFactory,
  invoiceKey,
  isPaper,
  toFen,
  yuan,
  type ScenarioInvoice,
  type ScenarioItem,
} from './invoice-factory';

export interface ScenarioScale extends EnterpriseScale {
  /** Invoices per device issued this month (before reds and voids). */
  invoicesPerDevice: number;
  /** Invoices per device issued in the last period whose filing deadline has passed. */
  pastInvoicesPerDevice: number;
  /** Uploads the authority accepts and then loses (never visible). */
  neverVisible: number;
  /** Invoices only the authority has (issued outside our devices). */
  authorityOnly: number;
  /** How long the authority is down during ingest. */
  outageMs: number;
}

export const DEMO_SCALE: ScenarioScale = {
  taxpayers: 3,
  branches: 40,
  devicesPerBranch: 3,
  invoicesPerDevice: 40,
  pastInvoicesPerDevice: 5,
  neverVisible: 5,
  authorityOnly: 4,
  outageMs: 60_000,
};

export const E2E_SCALE: ScenarioScale = {
  taxpayers: 3,
  branches: 6,
  devicesPerBranch: 1,
  invoicesPerDevice: 12,
  // More than two, so that they spread over the whole closed period (two fell on its first and last day and hid a
  // planning error that the demo's five showed).
  pastInvoicesPerDevice: 4,
  neverVisible: 2,
  authorityOnly: 2,
  outageMs: 6_000,
};

/** Invoices of the current period are spread over what has passed of it: it needs at least this much. */
export const MIN_PERIOD_SO_FAR_MS = 20 * 60_000;

export type FindingCounts = Partial<Record<string, number>>;

export interface DeviceEvents {
  clearCard?: Record<string, unknown>;
  report?: Record<string, unknown>;
  /** 抄报 and 清卡 of the period being filed (when one is): an on-premises device does them early in the window. */
  filingClearCard?: Record<string, unknown>;
  filingReport?: Record<string, unknown>;
  /** None for the silent device. */
  monitor?: Record<string, unknown>;
}

/** Within this many days of the filing deadline a period that cannot be reconciled is raised at once. */
export const INCOMPLETE_ALERT_DAYS = 2;

/** Beyond the scale's devices: two hosted by Baiwang, whose 抄报 and 清卡 the product does, and one that says nothing. */
export interface ExtraDevices {
  /** Reported and cleared by the product in the filing window. */
  hosted: Device;
  /** Holds offline invoices it has not uploaded: the product's clear-card fails and a person is told what to do. */
  hostedFailing: Device;
  /** Registered (issued long ago), active, and silent all month: no invoice, no 抄报, no 清卡, no reading. */
  silent: Device;
}

export interface MonthPlan {
  now: Date;
  scale: ScenarioScale;
  enterprise: Enterprise;
  period: string;
  /** The latest period whose filing deadline has passed: where clear-card and 抄报 problems show. */
  pastPeriod: string;
  /** Per device index: this month's items in sending order (issues, then reds, voids and the conflicting issue). */
  items: Map<number, ScenarioItem[]>;
  pastItems: Map<number, ScenarioItem[]>;
  deviceEvents: Map<number, DeviceEvents>;
  neverVisibleKeys: string[];
  /**
   * Seeded at the authority before ingest with other amounts than the device's, each of another taxpayer: the first is
   * corrected with a red-letter form to the end, the buyer rejects the second's form.
   */
  mismatch: { key: string; authorityInvoice: ScenarioInvoice };
  rejectedMismatch: { key: string; authorityInvoice: ScenarioInvoice };
  corrections: CorrectionsPlan;
  /**
   * Seeded at the authority before ingest with the buyer's name typed in full-width letters and an ideographic space
   * (ＳＭＡＲＴ　ＬＩＮＫ…): the same buyer, so it must raise nothing.
   */
  fullWidthBuyer: { key: string; number: string; ledgerName: string; authorityInvoice: ScenarioInvoice };
  conflictingKey: string;
  authorityOnly: ScenarioInvoice[];
  /** Invoices a supplier issued to one of our branches, one of them since voided (进项 查验). */
  received: ReceivedPlan;
  roles: { overdue: Device; failed: Device; lock: Device; offline: Device; wrongReport: Device };
  extras: ExtraDevices;
  /** The period being filed at `now` (its window open), or null after its deadline until the month ends. */
  inFiling: string | null;
  /**
   * When the period being filed is within INCOMPLETE_ALERT_DAYS of its deadline: the authority goes down for six hours
   * while this taxpayer's scope is reconciled, then comes back.
   */
  outageNearDeadline: { taxNo: string; period: string; durationMs: number } | null;
  /** The day every device of the fleet was issued: long before the periods played. */
  activatedOn: string;
  counts: { issued: number; red: number; voided: number; past: number };
  /** Findings after the first reconciliation of both periods, by type. */
  expectedFindings: FindingCounts;
}

export function planMonth(scale: ScenarioScale, now: Date): MonthPlan {
  const enterprise = buildEnterprise(scale);
  const period = periodOf(now);
  const pastPeriod = latestClosedPeriod(now);
  const [t1, t2, t3] = [0, 1, 2].map((i) => enterprise.taxpayers[i] ?? enterprise.taxpayers[0]);
  const devicesOf = (t: Taxpayer) => enterprise.devices.filter((d) => d.branch.taxpayer === t);
  const pick = (t: Taxpayer, n: number) => devicesOf(t)[n % devicesOf(t).length];
  const roles = {
    overdue: pick(t1, 0),
    lock: pick(t1, 1),
    failed: pick(t2, 0),
    offline: pick(t2, 1),
    wrongReport: pick(t3, 0),
  };

  const items = new Map<number, ScenarioItem[]>();
  const pastItems = new Map<number, ScenarioItem[]>();
  const plain: { device: Device; invoice: ScenarioInvoice }[] = [];
  const counts = { issued: 0, red: 0, voided: 0, past: 0 };
  const [from, to] = [periodStart(period).getTime() + 60_000, now.getTime() - 10 * 60_000];
  if (to - from < MIN_PERIOD_SO_FAR_MS)
    throw new Error(
      `the month scenario needs ${MIN_PERIOD_SO_FAR_MS / 60_000} minutes of ${period} behind it to issue invoices in; ` +
        `${now.toISOString()} is too close to its start`,
    );
  const spread = (i: number, n: number) => new Date(Math.max(from, from + ((to - from) * i) / n));

  for (const device of enterprise.devices) {
    const factory = new InvoiceFactory(device);
    const issued: ScenarioItem[] = [];
    const later: ScenarioItem[] = [];
    for (let i = 0; i < scale.invoicesPerDevice; i++) {
      const type = INVOICE_TYPES[(i + device.index) % INVOICE_TYPES.length];
      const at = spread(i, scale.invoicesPerDevice);
      const blue = factory.blue(type, at, i + device.index);
      issued.push(blue);
      if (i % 33 === 5) {
        later.push(
          factory.red(
            blue.invoice,
            new Date(Math.min(at.getTime() + 60_000, to)),
            device.branch.taxpayer.nuonuoAccount ? '02' : '01',
          ),
        );
        counts.red++;
      } else if (device.branch.taxpayer.voids && isPaper(type) && i % 25 === 4) {
        later.push(InvoiceFactory.voidOf(blue.invoice));
        counts.voided++;
      } else {
        plain.push({ device, invoice: blue.invoice });
      }
    }
    counts.issued += issued.length;
    items.set(device.index, [...issued, ...later]);
    // Inside the closed period itself: its devices' 抄报 totals count exactly these. Between the 1st and the filing
    // deadline the latest closed period is two months back, and the month between belongs to neither.
    const pastStart = periodStart(pastPeriod).getTime() + 3_600_000;
    const pastSpan = periodStart(nextPeriod(pastPeriod)).getTime() - 2 * 3_600_000 - pastStart;
    const past = Array.from({ length: scale.pastInvoicesPerDevice }, (_, i) =>
      factory.blue(
        INVOICE_TYPES[(i + device.index) % INVOICE_TYPES.length],
        new Date(pastStart + (pastSpan * i) / Math.max(1, scale.pastInvoicesPerDevice)),
        100 + i,
      ),
    );
    counts.past += past.length;
    pastItems.set(device.index, past);
  }

  const plainOf = (t: Taxpayer) => plain.filter((p) => p.device.branch.taxpayer === t);
  const t3Plain = plainOf(t3);
  if (t3Plain.length < scale.neverVisible + 2 || plainOf(t1).length < 1 || plainOf(t2).length < 1)
    throw new Error('scale too small for the planted problems');
  const neverVisibleKeys = t3Plain.slice(0, scale.neverVisible).map((p) => invoiceKey(p.invoice));
  const mismatched = t3Plain[scale.neverVisible].invoice;
  // a special invoice to a buyer with a tax number: its form waits for the buyer's confirmation, which the buyer refuses
  const rejected = (
    plainOf(t2).find((p) => p.invoice.type.endsWith('SPECIAL') && p.invoice.buyerTaxNo) ?? plainOf(t2)[0]
  ).invoice;
  // A buyer with Latin letters in its name, so that it can be typed in full-width at the authority's end.
  const fullWidth = t3Plain[scale.neverVisible + 1].invoice;
  fullWidth.buyerName = HALF_WIDTH_BUYER_NAME;
  const conflicted = plainOf(t1)[0];
  items.get(conflicted.device.index)!.push(InvoiceFactory.conflicting(conflicted.invoice));

  const portal: Device = {
    index: 999,
    branch: enterprise.branches.find((b) => b.taxpayer === t2)!,
    name: 'tax bureau portal',
  };
  const mismatchAtAuthority = InvoiceFactory.withOtherAmounts(mismatched);
  const portalFactory = new InvoiceFactory(portal);
  const authorityOnly = Array.from(
    { length: scale.authorityOnly },
    (_, i) =>
      portalFactory.blue(
        INVOICE_TYPES[i % INVOICE_TYPES.length],
        spread(i + 1, scale.authorityOnly + 2),
        500 + i,
      ).invoice,
  );

  const inFiling = periodInFiling(now);
  const extras = extraDevices(enterprise, t1, t3);
  const events = deviceEventsOf(enterprise.devices, pastItems, roles, extras, now, pastPeriod, inFiling);
  const outageNearDeadline =
    inFiling && daysUntilDeadline(inFiling, now) <= INCOMPLETE_ALERT_DAYS
      ? { taxNo: t3.taxNo, period: inFiling, durationMs: 6 * 3_600_000 }
      : null;

  return {
    now,
    scale,
    enterprise,
    period,
    pastPeriod,
    items,
    pastItems,
    deviceEvents: events,
    neverVisibleKeys,
    mismatch: { key: invoiceKey(mismatched), authorityInvoice: mismatchAtAuthority },
    rejectedMismatch: {
      key: invoiceKey(rejected),
      authorityInvoice: InvoiceFactory.withOtherAmounts(rejected),
    },
    corrections: planCorrections(
      {
        original: mismatched,
        authorityCopy: mismatchAtAuthority,
        portal: { index: 998, branch: t3Plain[0].device.branch, name: 'tax bureau portal' },
        at: new Date(now.getTime() - 60_000),
      },
      rejected,
    ),
    fullWidthBuyer: {
      key: invoiceKey(fullWidth),
      number: fullWidth.number,
      ledgerName: fullWidth.buyerName,
      authorityInvoice: { ...fullWidth, buyerName: toFullWidth(fullWidth.buyerName) },
    },
    conflictingKey: invoiceKey(conflicted.invoice),
    authorityOnly,
    received: planReceived(enterprise, new Date(from)),
    roles,
    extras,
    inFiling,
    outageNearDeadline,
    activatedOn: addDays(shanghaiDateOf(now), -400),
    counts,
    expectedFindings: expectedFindings(scale, now, inFiling, outageNearDeadline !== null),
  };
}

/**
 * The findings the month must produce, by type, counted over every state (a finding resolved later still counts).
 * Closed period: the overdue device, the failed one and the silent one are not cleared (CLEAR_CARD_OVERDUE ×3), the
 * failed one failed; the overdue and the failed device sent no 抄报 (REPORT_MISSING ×2), the silent one nothing at all
 * (DEVICE_SILENT, in place of its REPORT_MISSING). Period being filed: the hosted device with offline invoices fails its
 * remote clear-card at once; from the quiet-device warning point on, the silent device is named as silent for it too.
 */
function expectedFindings(
  scale: ScenarioScale,
  now: Date,
  inFiling: string | null,
  outage: boolean,
): FindingCounts {
  const counts: FindingCounts = {
    MISSING_IN_AUTHORITY: scale.neverVisible,
    MISSING_IN_LEDGER: scale.authorityOnly,
    AMOUNT_MISMATCH: 2,
    DUPLICATE_INVOICE: 1,
    DEVICE_LOCK_IMMINENT: 1,
    OFFLINE_LIMIT_NEAR: 1,
    CLEAR_CARD_OVERDUE: 3,
    CLEAR_CARD_FAILED: 1,
    REPORT_TOTALS_MISMATCH: 1,
    REPORT_MISSING: 2,
    DEVICE_SILENT: 1,
    RECEIVED_INVOICE_VOIDED: 1,
  };
  if (inFiling) {
    counts.CLEAR_CARD_FAILED = 2;
    if (daysUntilDeadline(inFiling, now) <= QUIET_DAYS_BEFORE_DEADLINE) counts.DEVICE_SILENT = 2;
  }
  if (outage) counts.RECONCILIATION_INCOMPLETE = 1;
  return counts;
}

/** The buyer of the full-width case as the device issued it: Latin letters, digits, a space and ASCII parentheses. */
export const HALF_WIDTH_BUYER_NAME = 'SMART LINK 2000 科技(深圳)有限公司';

/** ASCII as a person typing with a full-width input method writes it: U+FF01…U+FF5E, and the ideographic space. */
export function toFullWidth(text: string): string {
  return [...text]
    .map((ch) => {
      const cp = ch.codePointAt(0)!;
      if (cp === 0x20) return '\u3000';
      return cp > 0x20 && cp < 0x7f ? String.fromCodePoint(cp + 0xfee0) : ch;
    })
    .join('');
}

/** Reconcile's RECONCILE_QUIET_DAYS_BEFORE_DEADLINE default: quiet devices are named from then on. */
export const QUIET_DAYS_BEFORE_DEADLINE = 3;

function extraDevices(
  enterprise: Enterprise,
  hostTaxpayer: Taxpayer,
  silentTaxpayer: Taxpayer,
): ExtraDevices {
  const baiwang = enterprise.taxpayers.find((t) => t.platforms.includes('baiwang')) ?? hostTaxpayer;
  const branchOf = (t: Taxpayer) => enterprise.branches.find((b) => b.taxpayer === t)!;
  const add = (device: Omit<Device, 'index'>): Device => {
    const added = { ...device, index: enterprise.devices.length };
    enterprise.devices.push(added);
    return added;
  };
  const machineNo = (n: number) => `66190${String(n).padStart(7, '0')}`;
  const host = branchOf(baiwang);
  return {
    hosted: add({
      branch: host,
      name: `${host.branchId} 百望云托管盘 1`,
      hostedOn: 'baiwang',
      deviceNo: machineNo(1),
    }),
    hostedFailing: add({
      branch: host,
      name: `${host.branchId} 百望云托管盘 2`,
      hostedOn: 'baiwang',
      deviceNo: machineNo(2),
      offlinePending: 3,
    }),
    silent: add({
      branch: branchOf(silentTaxpayer),
      name: `${branchOf(silentTaxpayer).branchId} 备用税控盘`,
    }),
  };
}

/** The latest period whose filing deadline (holiday calendar included) has passed at `now`. */
export function latestClosedPeriod(now: Date): string {
  let period = previousPeriod(periodOf(now));
  while (filingDeadline(period).closesAt.getTime() > now.getTime()) period = previousPeriod(period);
  return period;
}

function deviceEventsOf(
  devices: Device[],
  pastItems: Map<number, ScenarioItem[]>,
  roles: MonthPlan['roles'],
  extras: ExtraDevices,
  now: Date,
  pastPeriod: string,
  inFiling: string | null,
): Map<number, DeviceEvents> {
  // Devices clear the closed period's card early in its filing window: the 1st of the month after it, 02:00.
  const clearedAt = new Date(periodStart(nextPeriod(pastPeriod)).getTime() + 2 * 3_600_000).toISOString();
  const filingClearedAt = inFiling
    ? new Date(Math.min(periodStart(nextPeriod(inFiling)).getTime() + 2 * 3_600_000, now.getTime() - 120_000))
    : null;
  const today = shanghaiDateOf(now);
  const events = new Map<number, DeviceEvents>();
  for (const device of devices) {
    if (device === extras.silent) {
      events.set(device.index, {});
      continue;
    }
    const failed = device === roles.failed;
    const clearCard =
      device === roles.overdue
        ? undefined
        : {
            eventId: randomUUID(),
            period: pastPeriod,
            status: failed ? 'failed' : 'succeeded',
            at: clearedAt,
            errorCode: failed ? 'E_UNUPLOADED_OFFLINE' : null,
            errorMessage: failed ? '存在未上传的离线发票，清卡失败' : null,
          };
    const totals = reportTotals(pastItems.get(device.index) ?? []);
    if (device === roles.wrongReport && totals.length)
      totals[0] = { ...totals[0], count: totals[0].count + 1 };
    const report =
      clearCard?.status === 'succeeded' ? { eventId: randomUUID(), period: pastPeriod, totals } : undefined;
    const monitor = {
      eventId: randomUUID(),
      at: new Date(now.getTime() - 60_000).toISOString(),
      lockDate: addDays(today, device === roles.lock ? 3 : 40),
      offlineSince: null,
      offlineAmount: device === roles.offline ? '85000.00' : '0.00',
      offlineAmountLimit: '100000.00',
      offlineHoursLimit: 72,
    };
    // The period being filed: an on-premises device reports (nothing was issued in it here) and clears early in the
    // window; a hosted device leaves both to the product.
    const filing =
      inFiling && filingClearedAt && !device.hostedOn
        ? {
            filingReport: { eventId: randomUUID(), period: inFiling, totals: [] },
            filingClearCard: {
              eventId: randomUUID(),
              period: inFiling,
              status: 'succeeded',
              at: filingClearedAt.toISOString(),
              errorCode: null,
              errorMessage: null,
            },
          }
        : {};
    events.set(device.index, { clearCard, report, monitor, ...filing });
  }
  return events;
}

/** A device's 抄报 totals per invoice type, as the device computes them from what it issued. */
function reportTotals(
  items: ScenarioItem[],
): { type: string; count: number; amount: string; taxAmount: string }[] {
  const byType = new Map<string, { count: number; amount: bigint; tax: bigint }>();
  for (const { invoice } of items) {
    const t = byType.get(invoice.type) ?? { count: 0, amount: 0n, tax: 0n };
    byType.set(invoice.type, {
      count: t.count + 1,
      amount: t.amount + toFen(invoice.amount),
      tax: t.tax + toFen(invoice.taxAmount),
    });
  }
  return [...byType].map(([type, t]) => ({
    type,
    count: t.count,
    amount: yuan(t.amount),
    taxAmount: yuan(t.tax),
  }));
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
