import { DynamicModule, Logger, Module, Provider } from '@nestjs/common';
import { CLOCK, Clock, clockFromOffset, CryptoIdSource, ID_SOURCE, IdSource } from '@lib/common';
import { ALL_TOPICS, dlqOf, TOPICS } from '@lib/contracts';
import {
  createEmailProvider,
  createSmsProvider,
  DingtalkRobotProvider,
  EMAIL_PROVIDER,
  FeishuRobotProvider,
  IEmailProvider,
  IRobotProvider,
  ISmsProvider,
  ROBOT_PROVIDERS,
  RobotChannel,
  SMS_PROVIDER,
  WecomRobotProvider,
} from '@lib/notifications';
import { ServiceModule } from '@lib/platform';
import { DeadLetterRepository } from './dead-letters/dead-letter.repository';
import { FindingRepository } from './findings/finding.repository';
import { NotificationsController } from './http/notifications.controller';
import { RecipientsController } from './http/recipients.controller';
import { RulesController } from './http/rules.controller';
import { ScopedReadsRepository } from './notifications/scoped-reads.repository';
import { DeadLetterWatcher } from './messaging/dead-letter.watcher';
import { FindingsController } from './messaging/findings.controller';
import { MaintenanceController } from './messaging/maintenance.controller';
import { MaintenanceWindowRepository } from './maintenance/maintenance-window.repository';
import { RecordMaintenanceUseCase } from './use-cases/record-maintenance/record-maintenance.use-case';
import { SyncResultsController } from './messaging/sync-results.controller';
import { ChannelProviders } from './notifications/channel-providers';
import { MessageComposer } from './notifications/message.composer';
import { NotificationQueueRepository } from './notifications/notification-queue.repository';
import { NotificationRepository } from './notifications/notification.repository';
import { NotifierMetrics } from './notifications/notifier.metrics';
import { NotifierConfig } from './notifier.config';
import { NOTIFIER_CONFIG } from './notifier.tokens';
import { NOTIFIER_MIGRATIONS } from './persistence/migrations';
import { RecipientRepository } from './routing/recipient.repository';
import { RuleRepository } from './routing/rule.repository';
import { SyncProblemRepository } from './sync/sync-problem.repository';
import { EscalateFindingsUseCase } from './use-cases/escalate-findings/escalate-findings.use-case';
import { FlushDigestsUseCase } from './use-cases/flush-digests/flush-digests.use-case';
import { ListRulesUseCase } from './use-cases/list-rules/list-rules.use-case';
import { PruneDeadLettersUseCase } from './use-cases/prune-dead-letters/prune-dead-letters.use-case';
import { RecordDeadLetterUseCase } from './use-cases/record-dead-letter/record-dead-letter.use-case';
import { RecordFindingUseCase } from './use-cases/record-finding/record-finding.use-case';
import { RecordSyncResultUseCase } from './use-cases/record-sync-result/record-sync-result.use-case';
import { RemoveRoutingEntryUseCase } from './use-cases/remove-routing-entry/remove-routing-entry.use-case';
import { ResendNotificationUseCase } from './use-cases/resend-notification/resend-notification.use-case';
import { SaveRecipientUseCase } from './use-cases/save-recipient/save-recipient.use-case';
import { SaveRuleUseCase } from './use-cases/save-rule/save-rule.use-case';
import { SendGates } from './use-cases/send-notification/send-gates';
import { SendNotificationUseCase } from './use-cases/send-notification/send-notification.use-case';
import { TestSendUseCase } from './use-cases/test-send/test-send.use-case';
import { NotifierWorkersService } from './workers/notifier-workers.service';

/** What tests (and only tests) swap: the providers, the clock, the ids. */
export interface NotifierModuleOverrides {
  email?: IEmailProvider;
  sms?: ISmsProvider;
  robots?: Partial<Record<RobotChannel, IRobotProvider>>;
  clock?: Clock;
  ids?: IdSource;
}

/** One provider per robot platform, each with its own breaker: a failing WeCom leaves DingTalk and Feishu alone. */
function robotProviders(
  config: NotifierConfig,
  overrides: NotifierModuleOverrides,
): Record<RobotChannel, IRobotProvider> {
  // Signed with the wall clock the whole system runs on (CLOCK_OFFSET_MS): the platforms allow an hour of skew.
  const clock = clockFromOffset(config.CLOCK_OFFSET_MS);
  const common = {
    timeoutMs: config.NOTIFIER_ROBOT_TIMEOUT_MS,
    rateLimitRetryMs: config.NOTIFIER_ROBOT_RATE_LIMIT_RETRY_MS,
    breaker: { resetTimeoutMs: config.NOTIFIER_BREAKER_RESET_MS },
  };
  return {
    wecom:
      overrides.robots?.wecom ??
      new WecomRobotProvider(
        { ...common, endpoint: config.NOTIFIER_WECOM_ENDPOINT, robots: config.NOTIFIER_WECOM_ROBOTS },
        clock,
      ),
    dingtalk:
      overrides.robots?.dingtalk ??
      new DingtalkRobotProvider(
        { ...common, endpoint: config.NOTIFIER_DINGTALK_ENDPOINT, robots: config.NOTIFIER_DINGTALK_ROBOTS },
        clock,
      ),
    feishu:
      overrides.robots?.feishu ??
      new FeishuRobotProvider(
        { ...common, endpoint: config.NOTIFIER_FEISHU_ENDPOINT, robots: config.NOTIFIER_FEISHU_ROBOTS },
        clock,
      ),
  };
}

function providersFrom(config: NotifierConfig, overrides: NotifierModuleOverrides): Provider[] {
  const logger = new Logger('NotifyDriver');
  const log = { info: (fields: Record<string, unknown>, message: string) => logger.log(fields, message) };
  const breaker = { resetTimeoutMs: config.NOTIFIER_BREAKER_RESET_MS };
  return [
    { provide: ROBOT_PROVIDERS, useFactory: () => robotProviders(config, overrides) },
    {
      provide: EMAIL_PROVIDER,
      useFactory: () =>
        overrides.email ??
        createEmailProvider(
          config.NOTIFIER_EMAIL_DRIVER,
          {
            host: config.NOTIFIER_SMTP_HOST,
            port: config.NOTIFIER_SMTP_PORT,
            secure: config.NOTIFIER_SMTP_SECURE,
            requireTls: config.NOTIFIER_SMTP_REQUIRE_TLS,
            rejectUnauthorized: config.NOTIFIER_SMTP_TLS_REJECT_UNAUTHORIZED,
            allowPlainAuth: config.NOTIFIER_SMTP_ALLOW_PLAIN_AUTH,
            user: config.NOTIFIER_SMTP_USER,
            password: config.NOTIFIER_SMTP_PASSWORD,
            maxConnections: config.NOTIFIER_SMTP_MAX_CONNECTIONS,
            timeoutMs: config.NOTIFIER_SMTP_TIMEOUT_MS,
            breaker,
          },
          log,
        ),
    },
    {
      provide: SMS_PROVIDER,
      useFactory: () =>
        overrides.sms ??
        createSmsProvider(
          config.NOTIFIER_SMS_DRIVER,
          {
            endpoint: config.NOTIFIER_SMS_ENDPOINT,
            accessKeyId: config.NOTIFIER_SMS_ACCESS_KEY_ID,
            accessKeySecret: config.NOTIFIER_SMS_ACCESS_KEY_SECRET,
            signName: config.NOTIFIER_SMS_SIGN_NAME,
            timeoutMs: config.NOTIFIER_SMS_TIMEOUT_MS,
            breaker,
          },
          log,
          // Signed with the wall clock the whole system runs on (CLOCK_OFFSET_MS), whatever clock tests give the rules.
          clockFromOffset(config.CLOCK_OFFSET_MS),
        ),
    },
  ];
}

/** The same retention the platform gives the DLQ companions it creates (30 days). */
const DLQ_RETENTION_MS = String(30 * 24 * 3_600_000);

/**
 * What the notifier consumes: findings, sync results and maintenance windows (with their DLQs, for our own failures), and every
 * topic's DLQ, which the dead-letter watcher reads. A DLQ is created here when its owner has not yet done so.
 */
const NOTIFIER_TOPICS = [
  { name: TOPICS.reconcileFindings, withDlq: true },
  { name: TOPICS.syncResults, withDlq: true },
  { name: TOPICS.reconcileMaintenance, withDlq: true },
  ...ALL_TOPICS.filter(
    (t) => t !== TOPICS.reconcileFindings && t !== TOPICS.syncResults && t !== TOPICS.reconcileMaintenance,
  ).map((t) => ({
    name: dlqOf(t),
    config: { 'retention.ms': DLQ_RETENTION_MS },
  })),
];

@Module({})
export class NotifierAppModule {
  static forRoot(config: NotifierConfig, overrides: NotifierModuleOverrides = {}): DynamicModule {
    return {
      module: NotifierAppModule,
      imports: [
        ServiceModule.forRoot({
          service: 'notifier',
          config,
          outbox: true,
          migrations: NOTIFIER_MIGRATIONS,
          // The operators' scripts keep their bearer token; people come with their IdP access token.
          serviceAccounts: [{ name: 'admin-token', token: config.NOTIFIER_ADMIN_TOKEN, roles: ['admin'] }],
          topics: NOTIFIER_TOPICS,
        }),
      ],
      controllers: [
        FindingsController,
        SyncResultsController,
        MaintenanceController,
        RecipientsController,
        RulesController,
        NotificationsController,
      ],
      providers: [
        { provide: NOTIFIER_CONFIG, useValue: config },
        { provide: CLOCK, useValue: overrides.clock ?? clockFromOffset(config.CLOCK_OFFSET_MS) },
        { provide: ID_SOURCE, useValue: overrides.ids ?? new CryptoIdSource() },
        NotifierMetrics,
        ...providersFrom(config, overrides),
        ChannelProviders,
        ScopedReadsRepository,
        FindingRepository,
        RecipientRepository,
        RuleRepository,
        NotificationRepository,
        NotificationQueueRepository,
        MessageComposer,
        SendGates,
        SyncProblemRepository,
        DeadLetterRepository,
        RecordFindingUseCase,
        RecordSyncResultUseCase,
        RecordDeadLetterUseCase,
        MaintenanceWindowRepository,
        RecordMaintenanceUseCase,
        PruneDeadLettersUseCase,
        DeadLetterWatcher,
        SendNotificationUseCase,
        EscalateFindingsUseCase,
        FlushDigestsUseCase,
        SaveRecipientUseCase,
        RemoveRoutingEntryUseCase,
        SaveRuleUseCase,
        ListRulesUseCase,
        ResendNotificationUseCase,
        TestSendUseCase,
        NotifierWorkersService,
      ],
    };
  }
}
