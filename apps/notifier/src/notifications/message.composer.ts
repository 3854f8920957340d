import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@lib/common';
import { FindingChanged } from '@lib/contracts';
import { EmailMessage, SmsMessage } from '@lib/notifications';
import { windowOfRef } from '../dead-letters/dead-letter.model';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository';
import { FindingRepository } from '../findings/finding.repository';
import { findingLinkOf, NotifierConfig } from '../notifier.config';
import { NOTIFIER_CONFIG } from '../notifier.tokens';
import { Language } from '../routing/routing.model';
import { isUnresolved } from '../routing/routing.rules';
import { renderDigestEmail, renderFindingEmail, RenderedEmail } from '../templates/email.template';
import { deadLettersSmsSummary, renderDeadLettersEmail } from '../templates/dead-letters.template';
import {
  RenderedSms,
  renderFindingSms,
  renderSummarySms,
  renderTestSms,
  SmsTemplateSpec,
} from '../templates/sms.template';
import { renderSyncEmail, syncSmsSummary } from '../templates/sync.template';
import { renderTestEmail } from '../templates/test.template';
import { SyncProblemRepository } from '../sync/sync-problem.repository';
import { NotificationRow } from './notification.model';
import { NotificationQueueRepository } from './notification-queue.repository';

export type ComposedMessage =
  | { channel: 'email'; email: EmailMessage }
  | { channel: 'sms'; sms: SmsMessage; segments: number }
  | { channel: 'none'; reason: string };

/** How many dead letters a window's email lists one by one (all are counted). */
const DEAD_LETTER_SAMPLES = 20;

/**
 * Renders a claimed notification from the finding's state at send time, so a finding resolved while its
 * message waited (quiet hours, digest, retries) is not announced any more. Likewise a sync problem resolved by
 * a later success, and a dead-letter window is composed from every arrival of the window.
 */
@Injectable()
export class MessageComposer {
  constructor(
    private readonly findings: FindingRepository,
    private readonly queue: NotificationQueueRepository,
    private readonly syncProblems: SyncProblemRepository,
    private readonly deadLetters: DeadLetterRepository,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  linkOf = (findingId: string): string => findingLinkOf(this.config, findingId);

  async compose(n: NotificationRow): Promise<ComposedMessage> {
    if (n.kind === 'test') return this.wrap(n, renderTestEmail(n.language, this.clock.now()), undefined);
    if (n.kind === 'digest') return this.digest(n);
    if (n.kind === 'sync_alert') return this.syncAlert(n);
    if (n.kind === 'dead_letters') return this.deadLetterWindow(n);
    const stored = n.finding_id ? await this.findings.get(n.finding_id) : undefined;
    if (!stored) return { channel: 'none', reason: 'FINDING_UNKNOWN' };
    if (!isUnresolved(stored.data.state))
      return { channel: 'none', reason: `FINDING_${stored.data.state.toUpperCase()}` };
    const escalation = n.kind === 'escalation' ? (n.level ?? undefined) : undefined;
    if (n.channel === 'sms') return this.sms(n, stored.data, escalation);
    return this.wrap(
      n,
      renderFindingEmail({
        finding: stored.data,
        language: n.language,
        link: this.linkOf(stored.findingId),
        escalationLevel: escalation,
        now: this.clock.now(),
      }),
      stored.findingId,
    );
  }

  private async digest(n: NotificationRow): Promise<ComposedMessage> {
    const items = await this.queue.digestItems(n.id);
    const stored = await this.findings.many([
      ...new Set(items.map((i) => i.finding_id).filter((id): id is string => !!id)),
    ]);
    const open = [...stored.values()].map((s) => s.data).filter((f) => isUnresolved(f.state));
    if (open.length === 0) return { channel: 'none', reason: 'DIGEST_EMPTY' };
    return this.wrap(n, renderDigestEmail(open, n.language, this.linkOf, n.created_at), undefined);
  }

  private async syncAlert(n: NotificationRow): Promise<ComposedMessage> {
    const problem = n.finding_id ? await this.syncProblems.get(n.finding_id) : undefined;
    if (!problem) return { channel: 'none', reason: 'SYNC_PROBLEM_UNKNOWN' };
    if (problem.resolvedAt) return { channel: 'none', reason: 'SYNC_RESOLVED' };
    if (n.channel === 'sms') return this.summarySms(n, syncSmsSummary(problem, n.language));
    return this.wrap(n, renderSyncEmail(problem, n.language), problem.problemId);
  }

  private async deadLetterWindow(n: NotificationRow): Promise<ComposedMessage> {
    const start = windowOfRef(n.finding_id);
    if (!start) return { channel: 'none', reason: 'DEAD_LETTER_WINDOW_UNKNOWN' };
    const summary = await this.deadLetters.summary(start, DEAD_LETTER_SAMPLES);
    if (summary.total === 0) return { channel: 'none', reason: 'DEAD_LETTERS_NONE' };
    if (n.channel === 'sms')
      return this.summarySms(n, deadLettersSmsSummary(summary, n.language), summary.total);
    const end = new Date(start.getTime() + this.config.NOTIFIER_DLQ_WINDOW_MS);
    return this.wrap(n, renderDeadLettersEmail(summary, { start, end }, n.language), undefined);
  }

  private summarySms(n: NotificationRow, summary: string, count = 1): ComposedMessage {
    const rendered = renderSummarySms(
      summary,
      this.template(n.language),
      this.config.NOTIFIER_SMS_SIGN_NAME,
      this.config.NOTIFIER_SMS_MAX_SEGMENTS,
      count,
    );
    return this.smsOf(n, rendered);
  }

  private sms(n: NotificationRow, finding: FindingChanged | undefined, escalation?: number): ComposedMessage {
    const template = this.template(n.language);
    const rendered = finding
      ? renderFindingSms(
          finding,
          n.language,
          template,
          this.config.NOTIFIER_SMS_SIGN_NAME,
          this.config.NOTIFIER_SMS_MAX_SEGMENTS,
          escalation,
          this.clock.now(),
        )
      : renderTestSms(n.language, template, this.config.NOTIFIER_SMS_SIGN_NAME);
    return this.smsOf(n, rendered);
  }

  private smsOf(n: NotificationRow, rendered: RenderedSms): ComposedMessage {
    return {
      channel: 'sms',
      segments: rendered.segments,
      sms: {
        phoneNumber: n.destination,
        templateCode: rendered.templateCode,
        templateParams: rendered.templateParams,
        outId: n.message_ref,
      },
    };
  }

  private wrap(n: NotificationRow, rendered: RenderedEmail, subjectId: string | undefined): ComposedMessage {
    if (n.channel === 'sms') return this.sms(n, undefined);
    const headers: Record<string, string> = { 'X-Notification-Id': n.id };
    if (subjectId) headers[n.kind === 'sync_alert' ? 'X-Sync-Problem-Id' : 'X-Finding-Id'] = subjectId;
    return {
      channel: 'email',
      email: {
        messageId: `<${n.message_ref}@${this.config.NOTIFIER_MESSAGE_ID_DOMAIN}>`,
        from: this.config.NOTIFIER_EMAIL_FROM,
        to: n.destination,
        ...rendered,
        headers,
      },
    };
  }

  private template(language: Language): SmsTemplateSpec {
    // SMS templates are approved per content, so each language needs its own registered template; without an
    // English one, English readers get the Chinese template with the summary written in English.
    if (
      language === 'en' &&
      this.config.NOTIFIER_SMS_TEMPLATE_ALERT_EN &&
      this.config.NOTIFIER_SMS_TEMPLATE_ALERT_EN_CONTENT
    ) {
      return {
        code: this.config.NOTIFIER_SMS_TEMPLATE_ALERT_EN,
        content: this.config.NOTIFIER_SMS_TEMPLATE_ALERT_EN_CONTENT,
      };
    }
    return {
      code: this.config.NOTIFIER_SMS_TEMPLATE_ALERT,
      content: this.config.NOTIFIER_SMS_TEMPLATE_ALERT_CONTENT,
    };
  }
}
