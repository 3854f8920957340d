import { z } from 'zod';
import { envBool, envInt, envString, loadConfig } from '@lib/common';
import { EMAIL_DRIVERS, SMS_DRIVERS } from '@lib/notifications';
import { serviceEnvSchema } from '@lib/platform';

const HOUR = 3_600_000;

/** Everything the notifier reads besides the base service variables (docs/notifier.md lists them). */
export const notifierEnvSchema = serviceEnvSchema('notifier').extend({
  /** Bearer token of the admin API; empty disables it (every call answers 401). */
  NOTIFIER_ADMIN_TOKEN: envString(''),
  /** Links in messages: `${base}/${findingId}`. */
  NOTIFIER_FINDING_URL_BASE: envString('http://127.0.0.1:3002/v1/findings').pipe(z.url()),
  NOTIFIER_EMAIL_DRIVER: envString('smtp').pipe(z.enum(EMAIL_DRIVERS)),
  NOTIFIER_EMAIL_FROM: envString('发票同步 <alerts@invoice-sync.local>'),
  /** Host part of the Message-IDs we generate. */
  NOTIFIER_MESSAGE_ID_DOMAIN: envString('notifier.invoice-sync.local'),
  NOTIFIER_SMTP_HOST: envString('127.0.0.1'),
  NOTIFIER_SMTP_PORT: envInt(7125, 1, 65535),
  NOTIFIER_SMTP_SECURE: envBool(false),
  NOTIFIER_SMTP_REQUIRE_TLS: envBool(false),
  NOTIFIER_SMTP_TLS_REJECT_UNAUTHORIZED: envBool(true),
  NOTIFIER_SMTP_USER: envString(''),
  NOTIFIER_SMTP_PASSWORD: envString(''),
  NOTIFIER_SMTP_MAX_CONNECTIONS: envInt(4, 1, 100),
  NOTIFIER_SMTP_TIMEOUT_MS: envInt(10_000, 100, 300_000),
  NOTIFIER_SMS_DRIVER: envString('aliyun').pipe(z.enum(SMS_DRIVERS)),
  NOTIFIER_SMS_ENDPOINT: envString('http://127.0.0.1:7104').pipe(z.url()),
  NOTIFIER_SMS_ACCESS_KEY_ID: envString('sandbox-sms-key'),
  NOTIFIER_SMS_ACCESS_KEY_SECRET: envString('sandbox-sms-secret'),
  NOTIFIER_SMS_SIGN_NAME: envString('发票同步'),
  NOTIFIER_SMS_TIMEOUT_MS: envInt(5_000, 100, 120_000),
  /** Template code of finding alerts (params: count, summary). */
  NOTIFIER_SMS_TEMPLATE_ALERT: envString('SMS_INVOICE_ALERT'),
  /** Its registered content, to count segments before sending (must match the provider's template). */
  NOTIFIER_SMS_TEMPLATE_ALERT_CONTENT: envString('您有${count}条发票异常待处理：${summary}'),
  /** Optional English template for `en` readers (same params); empty: the Chinese template, summary in English. */
  NOTIFIER_SMS_TEMPLATE_ALERT_EN: envString(''),
  NOTIFIER_SMS_TEMPLATE_ALERT_EN_CONTENT: envString(''),
  /** Longest SMS we send, in segments (70 characters alone, 67 per part when concatenated). */
  NOTIFIER_SMS_MAX_SEGMENTS: envInt(2, 1, 10),
  /** Per recipient and channel, within NOTIFIER_RATE_WINDOW_MS; further messages wait. */
  NOTIFIER_RATE_LIMIT_SMS: envInt(5, 1, 10_000),
  NOTIFIER_RATE_LIMIT_EMAIL: envInt(30, 1, 10_000),
  NOTIFIER_RATE_WINDOW_MS: envInt(HOUR, 1_000, 7 * 24 * HOUR),
  /** Low-severity findings are collected and sent as one digest per recipient per interval. */
  NOTIFIER_DIGEST_INTERVAL_MS: envInt(HOUR, 1_000, 7 * 24 * HOUR),
  /** An unresolved critical finding goes to the next level after this long. */
  NOTIFIER_ESCALATION_AFTER_MS: envInt(4 * HOUR, 1_000, 30 * 24 * HOUR),
  NOTIFIER_ESCALATION_MAX_LEVEL: envInt(3, 1, 9),
  /**
   * A dead or rejected sync result older than this when it arrives (first start on a topic with history, a long
   * outage) is not announced: reconcile's finding about the invoice covers it.
   */
  NOTIFIER_SYNC_ALERT_MAX_AGE_MS: envInt(24 * HOUR, 60_000, 30 * 24 * HOUR),
  /** Consume every `<topic>.dlq` and alert DEAD_LETTER recipients once per window. */
  NOTIFIER_DLQ_WATCH_ENABLED: envBool(true),
  /** Dead-letter arrivals of one window make one message per recipient and channel, sent when it ends. */
  NOTIFIER_DLQ_WINDOW_MS: envInt(10 * 60_000, 1_000, 24 * HOUR),
  /** Arrivals are kept this long (the delivery log's window messages read them), then pruned by the scheduler. */
  NOTIFIER_DLQ_RETENTION_DAYS: envInt(30, 1, 3650),
  NOTIFIER_WORKERS_ENABLED: envBool(true),
  NOTIFIER_SENDER_CONCURRENCY: envInt(4, 1, 100),
  NOTIFIER_IDLE_POLL_MS: envInt(500, 10, 60_000),
  NOTIFIER_SCHEDULER_POLL_MS: envInt(5_000, 10, 600_000),
  NOTIFIER_MAX_ATTEMPTS: envInt(8, 1, 100),
  NOTIFIER_BACKOFF_INITIAL_MS: envInt(2_000, 1, HOUR),
  NOTIFIER_BACKOFF_MAX_MS: envInt(600_000, 1, 24 * HOUR),
  /** How long a claimed notification stays `sending` before another sender may take it over. */
  NOTIFIER_SENDING_LEASE_MS: envInt(120_000, 1_000, HOUR),
  /** Pause before a send refused by an open breaker is tried again (not counted as an attempt). */
  NOTIFIER_BREAKER_RETRY_MS: envInt(5_000, 10, 600_000),
  NOTIFIER_BREAKER_RESET_MS: envInt(10_000, 10, 600_000),
});

export type NotifierConfig = z.infer<typeof notifierEnvSchema>;
export const loadNotifierConfig = (env: NodeJS.ProcessEnv = process.env): NotifierConfig =>
  loadConfig(notifierEnvSchema, env);
