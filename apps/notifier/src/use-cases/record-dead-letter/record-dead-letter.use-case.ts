import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { DeadLetterArrival, deadLetterWindowRef, windowStartOf } from '../../dead-letters/dead-letter.model';
import { DeadLetterRepository } from '../../dead-letters/dead-letter.repository';
import { deadLettersKey, NotificationDraft } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { NotifierConfig } from '../../notifier.config';
import { NOTIFIER_CONFIG } from '../../notifier.tokens';
import { ANY } from '../../routing/routing.model';
import { FindingScope, route } from '../../routing/routing.rules';
import { destinationOf } from '../../routing/routing.model';
import { RecipientRepository } from '../../routing/recipient.repository';
import { RuleRepository } from '../../routing/rule.repository';

/** Dead letters concern no taxpayer: they go to whoever is responsible for all of them (`*`). */
export const DEAD_LETTER_SCOPE: FindingScope = {
  type: 'DEAD_LETTER',
  severity: 'warning',
  taxNo: ANY,
  branchId: null,
};

/** Levels go up to 9: an operations team may sit above group tax. */
const MAX_LEVEL = 9;

/**
 * Waited after a window ends before its message is composed, so an arrival whose transaction began just before
 * the end is counted.
 */
export const DEAD_LETTER_GRACE_MS = 5_000;

/**
 * A message arrived in a dead-letter topic: record it, and make sure each routed recipient has one notification
 * for the current window, due when the window ends. The message is composed then, from every arrival of the
 * window: a burst of 10,000 poison messages is one message per recipient and channel, not 10,000.
 */
@Injectable()
export class RecordDeadLetterUseCase {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly notifications: NotificationRepository,
    private readonly recipients: RecipientRepository,
    private readonly rules: RuleRepository,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returns how many notifications were recorded (at most one per recipient and channel per window). */
  async execute(manager: EntityManager, arrival: DeadLetterArrival): Promise<number> {
    const now = this.clock.now();
    const windowMs = this.config.NOTIFIER_DLQ_WINDOW_MS;
    const windowStart = windowStartOf(now, windowMs);
    if (!(await this.deadLetters.record(manager, arrival, windowStart, now))) return 0;
    // Routed once per window: the rest of a burst costs its own row and this lookup. (Somebody added to the
    // rules or recipients meanwhile is told from the next window.)
    const ref = deadLetterWindowRef(windowStart);
    if (await this.notifications.existsFor(manager, ref)) return 0;
    const routed = route(
      await this.rules.all(manager),
      await this.recipients.forTaxNo(ANY, manager),
      DEAD_LETTER_SCOPE,
      MAX_LEVEL,
    );
    const dueAt = new Date(windowStart.getTime() + windowMs + DEAD_LETTER_GRACE_MS);
    const drafts = routed.map((d): NotificationDraft => ({
      dedupeKey: deadLettersKey(d.recipient.id, d.channel, windowStart),
      kind: 'dead_letters',
      channel: d.channel,
      recipientId: d.recipient.id,
      destination: destinationOf(d.recipient, d.channel) as string,
      language: d.recipient.language,
      findingId: deadLetterWindowRef(windowStart),
      severity: DEAD_LETTER_SCOPE.severity,
      level: d.level,
      status: 'queued',
      dueAt,
    }));
    return (await this.notifications.insert(manager, drafts, now)).length;
  }
}
