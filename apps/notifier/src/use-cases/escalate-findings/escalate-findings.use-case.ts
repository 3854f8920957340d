import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { FindingRepository, StoredFinding } from '../../findings/finding.repository';
import { escalationKey, NotificationDraft } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { NotifierConfig } from '../../notifier.config';
import { NOTIFIER_CONFIG } from '../../notifier.tokens';
import { RecipientRepository } from '../../routing/recipient.repository';
import { deliveriesAt, firstStaffedLevel, isUnresolved, selectRule } from '../../routing/routing.rules';
import { destinationOf } from '../../routing/routing.model';
import { RuleRepository } from '../../routing/rule.repository';

const BATCH = 100;

/**
 * Unresolved critical findings whose escalation time has come are told to the next staffed level (branch
 * accountant → regional finance → group tax), on the channels of their rule, immediately. Each finding is
 * locked with SKIP LOCKED in one transaction with its new notifications, so replicas never escalate the
 * same finding twice, and the notification keys (finding, level, recipient, channel) hold even if they did.
 */
@Injectable()
export class EscalateFindingsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly findings: FindingRepository,
    private readonly notifications: NotificationRepository,
    private readonly recipients: RecipientRepository,
    private readonly rules: RuleRepository,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returns how many notifications were recorded. */
  async execute(): Promise<number> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      let recorded = 0;
      for (const finding of await this.findings.lockDueEscalations(manager, now, BATCH)) {
        recorded += await this.escalate(manager, finding, now);
      }
      return recorded;
    });
  }

  private async escalate(manager: EntityManager, stored: StoredFinding, now: Date): Promise<number> {
    const finding = stored.data;
    const max = this.config.NOTIFIER_ESCALATION_MAX_LEVEL;
    const rule = selectRule(await this.rules.all(manager), finding);
    const recipients = await this.recipients.forTaxNo(finding.taxNo, manager);
    const level =
      finding.severity === 'critical' && isUnresolved(finding.state) && rule
        ? firstStaffedLevel(recipients, finding, stored.escalationLevel + 1, max)
        : undefined;
    if (level === undefined || !rule) {
      await this.findings.setEscalation(manager, stored.findingId, stored.escalationLevel, null);
      return 0;
    }
    const drafts: NotificationDraft[] = deliveriesAt(
      recipients,
      finding,
      { ...rule, mode: 'immediate' },
      level,
    ).map((d) => ({
      dedupeKey: escalationKey(stored.findingId, level, d.recipient.id, d.channel),
      kind: 'escalation',
      channel: d.channel,
      recipientId: d.recipient.id,
      destination: destinationOf(d.recipient, d.channel) as string,
      language: d.recipient.language,
      findingId: stored.findingId,
      severity: finding.severity,
      level,
      status: 'queued',
      dueAt: now,
    }));
    const inserted = await this.notifications.insert(manager, drafts, now);
    const next = level < max ? new Date(now.getTime() + this.config.NOTIFIER_ESCALATION_AFTER_MS) : null;
    await this.findings.setEscalation(manager, stored.findingId, level, next);
    return inserted.length;
  }
}
