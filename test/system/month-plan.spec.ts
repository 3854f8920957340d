// The month scenario and the product's period and deadline logic, as of every date of the sweep: each plan puts every
// invoice, clear-card and 抄报 where the product will look for them, so that the whole-system sweep
// (test/sweep/month.sweep-spec.ts) can demand exactly the planted findings on each date.
import {
  daysUntilDeadline,
  filingDeadline,
  isOverdue,
  nextPeriod,
  periodOf,
  periodStart,
  previousPeriod,
  shanghaiDateOf,
} from '@lib/domain';
import { E2E_SCALE, latestClosedPeriod, MIN_PERIOD_SO_FAR_MS, planMonth } from './month-plan';
import { SWEEP_DATES } from './sweep-dates';

describe.each(SWEEP_DATES)('as of $at ($why)', (date) => {
  const now = new Date(date.at);
  const plan = planMonth(E2E_SCALE, now);
  const periodOfItem = (issuedAt: string) => periodOf(new Date(issuedAt));

  it('knows the period, the latest closed period and the deadline being filed for', () => {
    expect({
      period: periodOf(now),
      latestClosed: latestClosedPeriod(now),
      openDeadline: filingDeadline(previousPeriod(periodOf(now))).deadline,
    }).toEqual({ period: date.period, latestClosed: date.latestClosed, openDeadline: date.openDeadline });
    expect(isOverdue(date.latestClosed, now)).toBe(true);
    expect(isOverdue(nextPeriod(date.latestClosed), now)).toBe(false);
    expect(daysUntilDeadline(date.latestClosed, now)).toBeLessThan(0);
  });

  it("issues this month's invoices inside the period and before now", () => {
    const issued = [...plan.items.values()].flat().map((i) => i.invoice.issuedAt);
    expect(issued.length).toBeGreaterThan(0);
    expect(new Set(issued.map(periodOfItem))).toEqual(new Set([date.period]));
    expect(Math.max(...issued.map((t) => Date.parse(t)))).toBeLessThanOrEqual(now.getTime());
    for (const invoice of plan.authorityOnly) expect(periodOfItem(invoice.issuedAt)).toBe(date.period);
  });

  it("issues the closed period's invoices inside it, where the devices' 抄报 totals count them", () => {
    const past = [...plan.pastItems.values()].flat().map((i) => i.invoice.issuedAt);
    const extras = Object.keys(plan.extras).length;
    expect(past).toHaveLength(E2E_SCALE.pastInvoicesPerDevice * (plan.enterprise.devices.length - extras));
    expect(new Set(past.map(periodOfItem))).toEqual(new Set([date.latestClosed]));
  });

  it('clears the closed period inside its filing window, and reports every invoice of it', () => {
    const { closesAt } = filingDeadline(date.latestClosed);
    for (const device of plan.enterprise.devices) {
      const events = plan.deviceEvents.get(device.index)!;
      const clear = events.clearCard as { period: string; at: string } | undefined;
      if (device === plan.roles.overdue || device === plan.extras.silent) {
        expect(clear).toBeUndefined();
        continue;
      }
      expect(clear!.period).toBe(date.latestClosed);
      const at = Date.parse(clear!.at);
      expect(at).toBeGreaterThanOrEqual(periodStart(nextPeriod(date.latestClosed)).getTime());
      expect(at).toBeLessThan(closesAt.getTime());
      const report = events.report as { totals: { count: number }[] } | undefined;
      if (!report) continue;
      const reported = report.totals.reduce((n, t) => n + t.count, 0);
      const offByOne = device === plan.roles.wrongReport ? 1 : 0;
      expect(reported).toBe((plan.pastItems.get(device.index)?.length ?? 0) + offByOne);
    }
  });

  it('reads the devices as of today: one lock date three days away, the others far', () => {
    const today = shanghaiDateOf(now);
    const readings = plan.enterprise.devices.map((d) => plan.deviceEvents.get(d.index)!.monitor);
    expect(readings.filter((m) => m === undefined)).toHaveLength(1); // the silent device
    const lockDates = readings
      .filter((m) => m !== undefined)
      .map((m) => (m as { lockDate: string }).lockDate);
    const days = lockDates.map((d) => (Date.parse(d) - Date.parse(today)) / 86_400_000);
    expect(days.filter((d) => d === 3)).toHaveLength(1);
    expect(days.filter((d) => d !== 3).every((d) => d === 40)).toBe(true);
  });
});

describe.each(SWEEP_DATES)('device operations as of $at', (date) => {
  const now = new Date(date.at);
  const plan = planMonth(E2E_SCALE, now);

  it('files the period being filed only inside its window: on-premises devices themselves, hosted ones never', () => {
    const filing = now.getTime() < filingDeadline(previousPeriod(periodOf(now))).closesAt.getTime();
    expect(plan.inFiling).toBe(filing ? previousPeriod(periodOf(now)) : null);
    for (const device of plan.enterprise.devices) {
      const events = plan.deviceEvents.get(device.index)!;
      const files = filing && !device.hostedOn && device !== plan.extras.silent;
      expect(events.filingClearCard !== undefined).toBe(files);
      if (!files) continue;
      const at = Date.parse(events.filingClearCard!.at as string);
      expect(at).toBeGreaterThanOrEqual(periodStart(periodOf(now)).getTime());
      expect(at).toBeLessThan(now.getTime());
      expect(events.filingReport!.period).toBe(plan.inFiling);
    }
  });

  it('takes the authority down only within two days of the deadline being filed for', () => {
    const near = plan.inFiling !== null && daysUntilDeadline(plan.inFiling, now) <= 2;
    expect(plan.outageNearDeadline !== null).toBe(near);
    expect(plan.expectedFindings.RECONCILIATION_INCOMPLETE ?? 0).toBe(near ? 1 : 0);
  });
});

describe('the month scenario', () => {
  it('refuses an instant too close to the start of a period to issue invoices in, saying so', () => {
    const early = new Date(periodStart('2027-01').getTime() + MIN_PERIOD_SO_FAR_MS - 60_000);
    expect(() => planMonth(E2E_SCALE, early)).toThrow(/needs 20 minutes of 2027-01 behind it/);
  });
});
