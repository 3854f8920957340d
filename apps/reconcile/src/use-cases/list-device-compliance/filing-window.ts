import {
  daysUntilDeadline,
  filingDeadline,
  periodEnd,
  periodOf,
  periodStart,
  previousPeriod,
} from '@lib/domain';
import { JudgedPeriod } from '../../device-status/device-compliance.repository';

/** The filing a compliance answer is judged against: the period, its deadline day (Asia/Shanghai), when filing closes. */
export interface FilingWindow {
  period: string;
  deadline: string;
  closesAt: string;
  /** Calendar days from today (Asia/Shanghai) to the deadline: 0 on the last day, negative once passed. */
  daysLeft: number;
  overdue: boolean;
}

/**
 * The period whose clear-card is due at this month's filing deadline (last month's, DOMAIN.md "Monthly cycle"), or the
 * one asked for; its deadline from the same calendar as CLEAR_CARD_OVERDUE (`filingDeadline`, @lib/domain).
 */
export function filingWindow(now: Date, period?: string): { filing: FilingWindow; judged: JudgedPeriod } {
  const judgedPeriod = period ?? previousPeriod(periodOf(now));
  const deadline = filingDeadline(judgedPeriod);
  return {
    filing: {
      period: judgedPeriod,
      deadline: deadline.deadline,
      closesAt: deadline.closesAt.toISOString(),
      daysLeft: daysUntilDeadline(judgedPeriod, now),
      overdue: now.getTime() >= deadline.closesAt.getTime(),
    },
    judged: { period: judgedPeriod, start: periodStart(judgedPeriod), end: periodEnd(judgedPeriod) },
  };
}
