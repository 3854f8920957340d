import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@lib/common';
import { FindingChanged } from '@lib/contracts';
import {
  EmailMessage,
  NotificationChannel,
  ROBOT_CHANNELS,
  RobotChannel,
  RobotMessage,
  SmsMessage,
} from '@lib/notifications';
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
import { DeadLetterSummary } from '../dead-letters/dead-letter.repository';
import { SyncProblem } from '../sync/sync-problem.model';
import {
  renderRobot,
  RobotDoc,
  robotDeadLettersDoc,
  robotDigestDoc,
  robotFindingDoc,
  robotSyncDoc,
  robotTestDoc,
} from '../templates/robot.template';
import {
  MaintenanceKind,
  MaintenanceWindowState,
  parseMaintenanceRef,
  staleReason,
} from '../maintenance/maintenance-notice.model';
import { MaintenanceWindowRepository } from '../maintenance/maintenance-window.repository';
import {
  maintenanceSmsSummary,
  renderMaintenanceEmail,
  robotMaintenanceDoc,
} from '../maintenance/maintenance.template';
import { NotificationKind, NotificationRow } from './notification.model';
import { NotificationQueueRepository } from './notification-queue.repository';

export type ComposedMessage =
  | { channel: 'email'; email: EmailMessage }
  | { channel: 'sms'; sms: SmsMessage; segments: number }
  | { channel: RobotChannel; robot: RobotMessage }
  | { channel: 'none'; reason: string };

/** How many dead letters a window's email lists one by one (all are counted). */
const DEAD_LETTER_SAMPLES = 20;

/** What a notification is about, loaded at send time; `none` when there is nothing to announce any more. */
type Subject =
  | { about: 'finding'; finding: FindingChanged; findingId: string; escalation?: number }
  | { about: 'digest'; open: FindingChanged[] }
  | { about: 'sync'; problem: SyncProblem }
  | { about: 'dead_letters'; summary: DeadLetterSummary; window: { start: Date; end: Date } }
  | { about: 'maintenance'; kind: MaintenanceKind; window: MaintenanceWindowState }
  | { about: 'test' };
type Loaded = Subject | { about: 'none'; reason: string };
type SubjectOf<A extends Subject['about']> = Extract<Subject, { about: A }>;

/** One kind's row of the table: how its subject is loaded, and its template on every channel. */
interface KindTemplates<A extends Subject['about']> {
  load(n: NotificationRow): Promise<Loaded>;
  channels: Record<NotificationChannel, (n: NotificationRow, subject: SubjectOf<A>) => ComposedMessage>;
}
/** The subject each kind is about. */
export const KIND_SUBJECT = {
  alert: 'finding',
  escalation: 'finding',
  digest: 'digest',
  sync_alert: 'sync',
  dead_letters: 'dead_letters',
  test: 'test',
  maintenance_announced: 'maintenance',
  maintenance_changed: 'maintenance',
  maintenance_reminder: 'maintenance',
  maintenance_ended: 'maintenance',
  maintenance_cancelled: 'maintenance',
} as const satisfies Record<NotificationKind, Subject['about']>;
type TemplateTable = { [K in NotificationKind]: KindTemplates<(typeof KIND_SUBJECT)[K]> };
type AnyTemplate = (n: NotificationRow, subject: Subject) => ComposedMessage;

/**
 * Renders a claimed notification from the finding's state at send time, so a finding resolved while its
 * message waited (quiet hours, digest, retries) is not announced any more. Likewise a sync problem resolved by
 * a later success, and a dead-letter window is composed from every arrival of the window.
 *
 * Composition is a table: per kind (finding alert, escalation, digest, sync failure, test, dead letters) a loader
 * and one template per channel (email, SMS, and the WeCom, DingTalk and Feishu group robots). A new kind or
 * channel is a new row or column; the compiler insists that every cell is filled.
 */
@Injectable()
export class MessageComposer {
  private readonly table: TemplateTable;

  constructor(
    private readonly findings: FindingRepository,
    private readonly queue: NotificationQueueRepository,
    private readonly syncProblems: SyncProblemRepository,
    private readonly deadLetters: DeadLetterRepository,
    private readonly maintenanceWindows: MaintenanceWindowRepository,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.table = this.buildTable();
  }

  linkOf = (findingId: string): string => findingLinkOf(this.config, findingId);

  async compose(n: NotificationRow): Promise<ComposedMessage> {
    const row = this.table[n.kind];
    const subject = await row.load(n);
    if (subject.about === 'none') return { channel: 'none', reason: subject.reason };
    // The loader of a row yields the subject its templates take (KIND_SUBJECT).
    return (row.channels[n.channel] as AnyTemplate)(n, subject);
  }

  private buildTable(): TemplateTable {
    const finding: KindTemplates<'finding'> = {
      load: (n) => this.loadFinding(n),
      channels: {
        email: (n, s) =>
          this.wrap(
            n,
            renderFindingEmail({
              finding: s.finding,
              language: n.language,
              link: this.linkOf(s.findingId),
              escalationLevel: s.escalation,
              now: this.clock.now(),
            }),
            s.findingId,
          ),
        sms: (n, s) => this.sms(n, s.finding, s.escalation),
        ...this.robots<'finding'>((n, s) =>
          robotFindingDoc(s.finding, n.language, this.linkOf(s.findingId), this.clock.now(), s.escalation),
        ),
      },
    };
    const digest: KindTemplates<'digest'> = {
      load: (n) => this.loadDigest(n),
      channels: {
        email: (n, s) =>
          this.wrap(n, renderDigestEmail(s.open, n.language, this.linkOf, n.created_at), undefined),
        // A digest is never routed to SMS; should one be, it says "test" rather than a list it cannot hold.
        sms: (n) => this.sms(n, undefined),
        ...this.robots<'digest'>((n, s) => robotDigestDoc(s.open, n.language, this.linkOf, n.created_at)),
      },
    };
    const sync: KindTemplates<'sync'> = {
      load: (n) => this.loadSyncProblem(n),
      channels: {
        email: (n, s) => this.wrap(n, renderSyncEmail(s.problem, n.language), s.problem.problemId),
        sms: (n, s) => this.summarySms(n, syncSmsSummary(s.problem, n.language)),
        ...this.robots<'sync'>((n, s) => robotSyncDoc(s.problem, n.language)),
      },
    };
    const deadLetters: KindTemplates<'dead_letters'> = {
      load: (n) => this.loadDeadLetters(n),
      channels: {
        email: (n, s) => this.wrap(n, renderDeadLettersEmail(s.summary, s.window, n.language), undefined),
        sms: (n, s) => this.summarySms(n, deadLettersSmsSummary(s.summary, n.language), s.summary.total),
        ...this.robots<'dead_letters'>((n, s) => robotDeadLettersDoc(s.summary, s.window, n.language)),
      },
    };
    const test: KindTemplates<'test'> = {
      load: async () => ({ about: 'test' }),
      channels: {
        email: (n) => this.wrap(n, renderTestEmail(n.language, this.clock.now()), undefined),
        sms: (n) => this.sms(n, undefined),
        ...this.robots<'test'>((n) => robotTestDoc(n.language, this.clock.now())),
      },
    };
    const maintenance: KindTemplates<'maintenance'> = {
      load: (n) => this.loadMaintenance(n),
      channels: {
        email: (n, s) => this.wrap(n, renderMaintenanceEmail(s.kind, s.window, n.language), undefined),
        sms: (n, s) => this.summarySms(n, maintenanceSmsSummary(s.kind, s.window, n.language)),
        ...this.robots<'maintenance'>((n, s) => robotMaintenanceDoc(s.kind, s.window, n.language)),
      },
    };
    return {
      alert: finding,
      escalation: finding,
      digest,
      sync_alert: sync,
      dead_letters: deadLetters,
      test,
      maintenance_announced: maintenance,
      maintenance_changed: maintenance,
      maintenance_reminder: maintenance,
      maintenance_ended: maintenance,
      maintenance_cancelled: maintenance,
    };
  }

  /** The three robot columns of a row: one doc, written in each platform's markdown (or text) within its limit. */
  private robots<A extends Subject['about']>(
    docOf: (n: NotificationRow, subject: SubjectOf<A>) => RobotDoc,
  ): Record<RobotChannel, (n: NotificationRow, subject: SubjectOf<A>) => ComposedMessage> {
    const column =
      (channel: RobotChannel) =>
      (n: NotificationRow, subject: SubjectOf<A>): ComposedMessage => {
        const rendered = renderRobot(docOf(n, subject), channel, this.config.NOTIFIER_ROBOT_FORMAT);
        return { channel, robot: { robot: n.destination, ref: n.message_ref, ...rendered } };
      };
    return Object.fromEntries(ROBOT_CHANNELS.map((c) => [c, column(c)])) as Record<
      RobotChannel,
      (n: NotificationRow, subject: SubjectOf<A>) => ComposedMessage
    >;
  }

  private async loadFinding(n: NotificationRow): Promise<Loaded> {
    const stored = n.finding_id ? await this.findings.get(n.finding_id) : undefined;
    if (!stored) return { about: 'none', reason: 'FINDING_UNKNOWN' };
    if (!isUnresolved(stored.data.state))
      return { about: 'none', reason: `FINDING_${stored.data.state.toUpperCase()}` };
    const escalation = n.kind === 'escalation' ? (n.level ?? undefined) : undefined;
    return { about: 'finding', finding: stored.data, findingId: stored.findingId, escalation };
  }

  private async loadDigest(n: NotificationRow): Promise<Loaded> {
    const items = await this.queue.digestItems(n.id);
    const stored = await this.findings.many([
      ...new Set(items.map((i) => i.finding_id).filter((id): id is string => !!id)),
    ]);
    const open = [...stored.values()].map((s) => s.data).filter((f) => isUnresolved(f.state));
    if (open.length === 0) return { about: 'none', reason: 'DIGEST_EMPTY' };
    return { about: 'digest', open };
  }

  private async loadSyncProblem(n: NotificationRow): Promise<Loaded> {
    const problem = n.finding_id ? await this.syncProblems.get(n.finding_id) : undefined;
    if (!problem) return { about: 'none', reason: 'SYNC_PROBLEM_UNKNOWN' };
    if (problem.resolvedAt) return { about: 'none', reason: 'SYNC_RESOLVED' };
    return { about: 'sync', problem };
  }

  private async loadDeadLetters(n: NotificationRow): Promise<Loaded> {
    const start = windowOfRef(n.finding_id);
    if (!start) return { about: 'none', reason: 'DEAD_LETTER_WINDOW_UNKNOWN' };
    const summary = await this.deadLetters.summary(start, DEAD_LETTER_SAMPLES);
    if (summary.total === 0) return { about: 'none', reason: 'DEAD_LETTERS_NONE' };
    const end = new Date(start.getTime() + this.config.NOTIFIER_DLQ_WINDOW_MS);
    return { about: 'dead_letters', summary, window: { start, end } };
  }

  /** The window as it is now; a notice of an earlier revision, or of a window cancelled since, is not sent. */
  private async loadMaintenance(n: NotificationRow): Promise<Loaded> {
    const ref = parseMaintenanceRef(n.finding_id);
    if (!ref) return { about: 'none', reason: 'MAINTENANCE_UNKNOWN' };
    const window = await this.maintenanceWindows.get(ref.windowId);
    const kind = n.kind as MaintenanceKind;
    const stale = staleReason(kind, ref.revision, window);
    if (stale || !window) return { about: 'none', reason: stale ?? 'MAINTENANCE_UNKNOWN' };
    return { about: 'maintenance', kind, window };
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
