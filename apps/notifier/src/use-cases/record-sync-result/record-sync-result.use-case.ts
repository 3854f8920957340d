import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { NotificationDraft, syncAlertKey } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { NotifierMetrics } from '../../notifications/notifier.metrics';
import { NotifierConfig } from '../../notifier.config';
import { NOTIFIER_CONFIG } from '../../notifier.tokens';
import { RecipientRepository } from '../../routing/recipient.repository';
import { route } from '../../routing/routing.rules';
import { destinationOf } from '../../routing/routing.model';
import { RuleRepository } from '../../routing/rule.repository';
import { quietHoursRelease } from '../../schedule/quiet-hours';
import {
  isSyncProblem,
  isSyncSuccess,
  problemIdOf,
  syncAlertType,
  syncSeverity,
} from '../../sync/sync-problem.model';
import { SyncProblemRepository } from '../../sync/sync-problem.repository';
import { RecordSyncResultCommand } from './record-sync-result.command';

/**
 * A sync outcome. Dead and rejected deliveries are recorded and routed like findings of type SYNC_DEAD /
 * SYNC_REJECTED, at taxpayer level (a result names no branch), one notification per (problem, recipient,
 * channel). A later success at the same target resolves them, so alerts still waiting are cancelled. A result
 * older than NOTIFIER_SYNC_ALERT_MAX_AGE_MS is history (a first start reads the topic from its beginning). Anything
 * else costs nothing beyond the inbox row. Sync alerts do not escalate and are never digested: reconcile's
 * finding about the same invoice does that if it stays missing.
 */
@Injectable()
export class RecordSyncResultUseCase {
  constructor(
    private readonly problems: SyncProblemRepository,
    private readonly notifications: NotificationRepository,
    private readonly recipients: RecipientRepository,
    private readonly rules: RuleRepository,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: NotifierMetrics,
  ) {}

  /** Returns how many notifications were recorded. */
  async execute(manager: EntityManager, { result }: RecordSyncResultCommand): Promise<number> {
    if (isSyncSuccess(result.outcome)) {
      await this.problems.resolve(manager, result);
      return 0;
    }
    const outcome = result.outcome;
    if (!isSyncProblem(outcome)) return 0;
    const now = this.clock.now();
    if (now.getTime() - new Date(result.at).getTime() > this.config.NOTIFIER_SYNC_ALERT_MAX_AGE_MS) {
      this.metrics.syncAlertSkipped('stale');
      return 0;
    }
    const problemId = problemIdOf(result);
    await this.problems.record(manager, problemId, { ...result, outcome }, now);
    const severity = syncSeverity(outcome);
    const routed = route(
      await this.rules.all(manager),
      await this.recipients.forTaxNo(result.taxNo, manager),
      { type: syncAlertType(outcome), severity, taxNo: result.taxNo, branchId: null },
      this.config.NOTIFIER_ESCALATION_MAX_LEVEL,
    );
    const critical = severity === 'critical';
    const drafts = routed.map((d): NotificationDraft => ({
      dedupeKey: syncAlertKey(problemId, d.recipient.id, d.channel),
      kind: 'sync_alert',
      channel: d.channel,
      recipientId: d.recipient.id,
      destination: destinationOf(d.recipient, d.channel) as string,
      language: d.recipient.language,
      findingId: problemId,
      severity,
      level: d.level,
      // A digest rule only limits the channels to email: a sync problem is told at once.
      status: 'queued',
      dueAt: d.channel === 'sms' ? quietHoursRelease(d.recipient.quietHours, now, critical) : now,
    }));
    return (await this.notifications.insert(manager, drafts, now)).length;
  }
}
