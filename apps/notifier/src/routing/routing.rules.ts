import { FindingSeverity, FindingState, FINDING_SEVERITIES } from '@lib/contracts';
import { AlertType } from './alert-types';
import { isRobotChannel } from '@lib/notifications';
import { ANY, destinationOf, Recipient, RoutedDelivery, RoutingRule } from './routing.model';

/** What routing needs of an alert: a finding, a sync problem (branch unknown: null) or dead letters (taxNo `*`). */
export interface FindingScope {
  type: AlertType;
  severity: FindingSeverity;
  taxNo: string;
  branchId: string | null;
}

const rank = (severity: FindingSeverity): number => FINDING_SEVERITIES.indexOf(severity);

/**
 * Findings whose automatic remediation is a task for a person: a correction request (红冲) needs somebody to
 * enter and confirm the red-letter form. A re-upload, by contrast, remediates by itself.
 */
const PERSON_REMEDIATES: readonly AlertType[] = ['AMOUNT_MISMATCH', 'STATUS_MISMATCH'];

/** A transition that asks something of a person: a finding (re)opened, escalated, or sent to a person's correction. */
export function isNotifiable(state: FindingState, type?: AlertType): boolean {
  return (
    state === 'open' ||
    state === 'escalated' ||
    (state === 'remediating' && type !== undefined && PERSON_REMEDIATES.includes(type))
  );
}

/** Still needs a person (escalation continues); resolved and ignored findings stop it. */
export function isUnresolved(state: FindingState): boolean {
  return state === 'open' || state === 'escalated' || state === 'remediating';
}

/**
 * The one rule that applies: matching type (or any) and a severity at least its minimum; the highest
 * priority wins, then a rule naming the type over a catch-all, then the stricter minimum.
 */
export function selectRule(
  rules: readonly RoutingRule[],
  finding: Pick<FindingScope, 'type' | 'severity'>,
): RoutingRule | undefined {
  return rules
    .filter(
      (r) =>
        (r.findingType === null || r.findingType === finding.type) &&
        rank(finding.severity) >= rank(r.minSeverity),
    )
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        Number(b.findingType !== null) - Number(a.findingType !== null) ||
        rank(b.minSeverity) - rank(a.minSeverity) ||
        a.id.localeCompare(b.id),
    )[0];
}

function covers(recipient: Recipient, finding: FindingScope, level: number): boolean {
  return recipient.scopes.some(
    (s) =>
      s.level === level &&
      (s.taxNo === ANY || s.taxNo === finding.taxNo) &&
      (s.branchId === ANY || (finding.branchId !== null && s.branchId === finding.branchId)),
  );
}

/** Active recipients responsible for the finding's taxpayer and branch at exactly `level`. */
export function recipientsAt(
  recipients: readonly Recipient[],
  finding: FindingScope,
  level: number,
): Recipient[] {
  return recipients.filter((r) => r.active && covers(r, finding, level));
}

/**
 * The lowest level at or above `from` that has someone responsible (a branch without its own accountant
 * goes to regional finance), or undefined when nobody up to `maxLevel` is.
 */
export function firstStaffedLevel(
  recipients: readonly Recipient[],
  finding: FindingScope,
  from: number,
  maxLevel: number,
): number | undefined {
  for (let level = from; level <= maxLevel; level += 1) {
    if (recipientsAt(recipients, finding, level).length > 0) return level;
  }
  return undefined;
}

/** Each recipient at `level` on each of the rule's channels they can be reached on. */
export function deliveriesAt(
  recipients: readonly Recipient[],
  finding: FindingScope,
  rule: RoutingRule,
  level: number,
): RoutedDelivery[] {
  return recipientsAt(recipients, finding, level).flatMap((recipient) =>
    rule.channels
      // A digest is a list: email and the group robots carry one, an SMS does not (a digest rule sends none).
      .filter((channel) => rule.mode === 'immediate' || channel === 'email' || isRobotChannel(channel))
      .filter((channel) => destinationOf(recipient, channel))
      .map((channel) => ({ recipient, channel, level, mode: rule.mode })),
  );
}

/** Who is told first about a finding, by which channel, now or in a digest. */
export function route(
  rules: readonly RoutingRule[],
  recipients: readonly Recipient[],
  finding: FindingScope,
  maxLevel: number,
): RoutedDelivery[] {
  const rule = selectRule(rules, finding);
  if (!rule) return [];
  const level = firstStaffedLevel(recipients, finding, rule.level, maxLevel);
  return level === undefined ? [] : deliveriesAt(recipients, finding, rule, level);
}
