import { Inject, Injectable } from '@nestjs/common';
import { NotificationRow } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { NotifierConfig } from '../../notifier.config';
import { NOTIFIER_CONFIG } from '../../notifier.tokens';
import { RecipientRepository } from '../../routing/recipient.repository';
import { quietHoursRelease } from '../../schedule/quiet-hours';
import { nextAllowedSend } from '../../schedule/rate-limit';

/** Why a due notification must still wait, and until when. */
export interface Wait {
  at: Date;
  reason: 'QUIET_HOURS' | 'RATE_LIMITED';
}

/** The per-recipient rules checked at send time: quiet hours (SMS, critical excepted) and rate limits. */
@Injectable()
export class SendGates {
  constructor(
    private readonly recipients: RecipientRepository,
    private readonly notifications: NotificationRepository,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
  ) {}

  async releaseAt(n: NotificationRow, now: Date): Promise<Wait | undefined> {
    if (n.kind === 'test' || !n.recipient_id) return undefined;
    const recipient = await this.recipients.get(n.recipient_id);
    if (recipient && n.channel === 'sms') {
      const release = quietHoursRelease(recipient.quietHours, now, n.severity === 'critical');
      if (release > now) return { at: release, reason: 'QUIET_HOURS' };
    }
    const windowMs = this.config.NOTIFIER_RATE_WINDOW_MS;
    const limit =
      n.channel === 'sms'
        ? this.config.NOTIFIER_RATE_LIMIT_SMS
        : n.channel === 'email'
          ? this.config.NOTIFIER_RATE_LIMIT_EMAIL
          : this.config.NOTIFIER_RATE_LIMIT_ROBOT;
    const recent = await this.notifications.recentSends(
      n.recipient_id,
      n.channel,
      new Date(now.getTime() - windowMs),
      n.id,
    );
    const allowed = nextAllowedSend(recent, now, { limit, windowMs });
    return allowed > now ? { at: allowed, reason: 'RATE_LIMITED' } : undefined;
  }
}
