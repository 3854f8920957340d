import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { FindingRepository } from '../../findings/finding.repository';
import { alertKey, NotificationDraft } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { NotifierConfig } from '../../notifier.config';
import { NOTIFIER_CONFIG } from '../../notifier.tokens';
import { RecipientRepository } from '../../routing/recipient.repository';
import { destinationOf, RoutedDelivery } from '../../routing/routing.model';
import { isNotifiable, isUnresolved, route } from '../../routing/routing.rules';
import { RuleRepository } from '../../routing/rule.repository';
import { quietHoursRelease } from '../../schedule/quiet-hours';
import { RecordFindingCommand } from './record-finding.command';

/**
 * A finding changed: keep its latest state, and for a transition that needs a person, record one
 * notification per routed recipient and channel, in the consumer's inbox transaction. Nothing is sent
 * here: the sender loop does that outside the transaction.
 */
@Injectable()
export class RecordFindingUseCase {
  constructor(
    private readonly findings: FindingRepository,
    private readonly notifications: NotificationRepository,
    private readonly recipients: RecipientRepository,
    private readonly rules: RuleRepository,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(manager: EntityManager, { finding }: RecordFindingCommand): Promise<number> {
    const now = this.clock.now();
    const { previous, applied } = await this.findings.upsert(manager, finding, now);
    if (!applied) return 0;
    if (!isUnresolved(finding.state)) {
      await this.findings.setEscalation(manager, finding.findingId, previous?.escalationLevel ?? 0, null);
      return 0;
    }
    if (!isNotifiable(finding.state, finding.type)) return 0;
    const routed = route(
      await this.rules.all(manager),
      await this.recipients.forTaxNo(finding.taxNo, manager),
      finding,
      this.config.NOTIFIER_ESCALATION_MAX_LEVEL,
    );
    const critical = finding.severity === 'critical';
    const drafts = routed.map((d) =>
      this.draft(d, now, critical, finding.findingId, finding.state, finding.updatedAt, finding.severity),
    );
    const inserted = await this.notifications.insert(manager, drafts, now);
    // Only a transition recorded for the first time starts the escalation clock: a replayed event must
    // neither postpone an escalation nor send it back a level.
    if (critical && inserted.length > 0) {
      const level = routed[0].level;
      const next =
        level < this.config.NOTIFIER_ESCALATION_MAX_LEVEL
          ? new Date(now.getTime() + this.config.NOTIFIER_ESCALATION_AFTER_MS)
          : null;
      await this.findings.setEscalation(manager, finding.findingId, level, next);
    }
    return inserted.length;
  }

  private draft(
    d: RoutedDelivery,
    now: Date,
    critical: boolean,
    findingId: string,
    state: string,
    updatedAt: string,
    severity: NotificationDraft['severity'],
  ): NotificationDraft {
    const sms = d.channel === 'sms';
    return {
      dedupeKey: alertKey(findingId, state, updatedAt, d.recipient.id, d.channel),
      kind: 'alert',
      channel: d.channel,
      recipientId: d.recipient.id,
      destination: destinationOf(d.recipient, d.channel) as string,
      language: d.recipient.language,
      findingId,
      severity,
      level: d.level,
      status: d.mode === 'digest' ? 'pending_digest' : 'queued',
      // Quiet hours hold an SMS back until morning (not a critical one); the sender checks again at send time.
      dueAt: sms ? quietHoursRelease(d.recipient.quietHours, now, critical) : now,
    };
  }
}
