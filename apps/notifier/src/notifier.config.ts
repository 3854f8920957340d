import { z } from 'zod';
import { envBool, envInt, envString, loadConfig } from '@lib/common';
import { EMAIL_DRIVERS, ROBOT_CHANNELS, SMS_DRIVERS } from '@lib/notifications';
import { serviceEnvSchema } from '@lib/platform';

const HOUR = 3_600_000;
/** The sandbox's development SMS credentials: the defaults, refused in production. */
const SANDBOX_SMS_KEY_ID = 'sandbox-sms-key';
const SANDBOX_SMS_KEY_SECRET = 'sandbox-sms-secret';
const MIN_PRODUCTION_TOKEN_LENGTH = 32;

/** A robot's name, as recipients reference it (`finance-east`): the only thing about a robot stored in the database. */
export const ROBOT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * A JSON object of robots by name, e.g. `{"finance-east":{"key":"…"}}`. The credentials live in configuration (a
 * Kubernetes secret, the compose env file), never in the database: a recipient only names its robot.
 */
const robotsJson = <T extends z.ZodType>(credentials: T) =>
  envString('{}')
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of robots by name' });
        return z.NEVER;
      }
    })
    .pipe(
      z.record(z.string().regex(ROBOT_NAME_PATTERN, 'robot names are letters, digits, _ . -'), credentials),
    );
const secretString = z.string().min(1).max(512);

/** Everything the notifier reads besides the base service variables (docs/notifier.md lists them). */
const notifierEnvObject = serviceEnvSchema('notifier').extend({
  /** `production` turns on the production checks (no sandbox credentials, no plain http, long tokens). */
  NODE_ENV: envString('development'),
  /** Bearer token of the admin API; empty disables it (every call answers 401); in production at least 32 characters. */
  NOTIFIER_ADMIN_TOKEN: envString(''),
  /**
   * The finance console as people reach it: every "查看详情 / View details" opens `${url}/findings/${findingId}`
   * there (its login first), never the findings API, which answers 401 to a person.
   */
  NOTIFIER_CONSOLE_URL: envString('http://127.0.0.1:3004').pipe(z.url()),
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
  /** Credentials require TLS; true lets them go in the clear to a relay on this host (loopback only). */
  NOTIFIER_SMTP_ALLOW_PLAIN_AUTH: envBool(false),
  NOTIFIER_SMTP_MAX_CONNECTIONS: envInt(4, 1, 100),
  NOTIFIER_SMTP_TIMEOUT_MS: envInt(10_000, 100, 300_000),
  NOTIFIER_SMS_DRIVER: envString('aliyun').pipe(z.enum(SMS_DRIVERS)),
  NOTIFIER_SMS_ENDPOINT: envString('http://127.0.0.1:7104').pipe(z.url()),
  /** In production, an http endpoint needs this (e.g. an egress proxy you trust). */
  NOTIFIER_SMS_ALLOW_PLAIN_HTTP: envBool(false),
  NOTIFIER_SMS_ACCESS_KEY_ID: envString(SANDBOX_SMS_KEY_ID),
  NOTIFIER_SMS_ACCESS_KEY_SECRET: envString(SANDBOX_SMS_KEY_SECRET),
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
  /** Group robots: how messages are written (each platform's markdown, or plain text). */
  NOTIFIER_ROBOT_FORMAT: envString('markdown').pipe(z.enum(['markdown', 'text'])),
  /** Deadline of one robot call (connect to last byte). */
  NOTIFIER_ROBOT_TIMEOUT_MS: envInt(5_000, 100, 120_000),
  /** How long a robot that answered "too many messages" (20 a minute on WeCom and DingTalk) is left alone. */
  NOTIFIER_ROBOT_RATE_LIMIT_RETRY_MS: envInt(60_000, 10, HOUR),
  /** In production, an http robot endpoint needs this (e.g. an egress proxy you trust). */
  NOTIFIER_ROBOT_ALLOW_PLAIN_HTTP: envBool(false),
  NOTIFIER_WECOM_ENDPOINT: envString('https://qyapi.weixin.qq.com').pipe(z.url()),
  /** `{"name":{"key":"<webhook key>"}}` (secret). */
  NOTIFIER_WECOM_ROBOTS: robotsJson(z.object({ key: secretString })),
  NOTIFIER_DINGTALK_ENDPOINT: envString('https://oapi.dingtalk.com').pipe(z.url()),
  /** `{"name":{"accessToken":"…","secret":"SEC…"}}` (secret; 加签 must be on). */
  NOTIFIER_DINGTALK_ROBOTS: robotsJson(z.object({ accessToken: secretString, secret: secretString })),
  NOTIFIER_FEISHU_ENDPOINT: envString('https://open.feishu.cn').pipe(z.url()),
  /** `{"name":{"token":"<hook token>","secret":"…"}}` (secret; 签名校验 must be on). */
  NOTIFIER_FEISHU_ROBOTS: robotsJson(z.object({ token: secretString, secret: secretString })),
  /** Per recipient and channel, within NOTIFIER_RATE_WINDOW_MS; further messages wait. */
  NOTIFIER_RATE_LIMIT_SMS: envInt(5, 1, 10_000),
  NOTIFIER_RATE_LIMIT_EMAIL: envInt(30, 1, 10_000),
  /** Per recipient and robot channel (a group chat is read by many: fewer, denser messages). */
  NOTIFIER_RATE_LIMIT_ROBOT: envInt(60, 1, 10_000),
  NOTIFIER_RATE_WINDOW_MS: envInt(HOUR, 1_000, 7 * 24 * HOUR),
  /** Low-severity findings are collected and sent as one digest per recipient per interval. */
  NOTIFIER_DIGEST_INTERVAL_MS: envInt(HOUR, 1_000, 7 * 24 * HOUR),
  /** An unresolved critical finding goes to the next level after this long. */
  NOTIFIER_ESCALATION_AFTER_MS: envInt(4 * HOUR, 1_000, 30 * 24 * HOUR),
  NOTIFIER_ESCALATION_MAX_LEVEL: envInt(3, 1, 9),
  /** A maintenance window's reminder goes this long before its start (docs/maintenance.md). */
  NOTIFIER_MAINTENANCE_LEAD_MS: envInt(24 * HOUR, 0, 30 * 24 * HOUR),
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

type NotifierEnv = z.infer<typeof notifierEnvObject>;
type Problem = [variable: keyof NotifierEnv, message: string];

const isLoopback = (host: string) => /^(localhost|::1|\[::1\]|127(\.\d{1,3}){3})$/i.test(host);

const PLAIN_AUTH_REFUSED =
  'SMTP credentials need TLS: set NOTIFIER_SMTP_REQUIRE_TLS=true (STARTTLS) or NOTIFIER_SMTP_SECURE=true (implicit TLS, ' +
  'port 465); NOTIFIER_SMTP_ALLOW_PLAIN_AUTH=true sends them in the clear, to a relay on this host only';

/** SMTP credentials never travel in the clear, except to a relay on this host when explicitly allowed. */
function smtpProblems(env: NotifierEnv): Problem[] {
  const host = env.NOTIFIER_SMTP_HOST;
  if (env.NOTIFIER_SMTP_ALLOW_PLAIN_AUTH) {
    if (isLoopback(host)) return [];
    return [
      [
        'NOTIFIER_SMTP_ALLOW_PLAIN_AUTH',
        `only for a relay on this host (localhost, 127.x.x.x, ::1), not ${host}`,
      ],
    ];
  }
  if (env.NOTIFIER_SMTP_SECURE || env.NOTIFIER_SMTP_REQUIRE_TLS) return [];
  const given = (['NOTIFIER_SMTP_USER', 'NOTIFIER_SMTP_PASSWORD'] as const).find((name) => env[name] !== '');
  return given ? [[given, PLAIN_AUTH_REFUSED]] : [];
}

/** With NODE_ENV=production: no sandbox credentials, no plain http to the SMS provider, no short admin token. */
function productionProblems(env: NotifierEnv): Problem[] {
  const problems: Problem[] = [];
  const token = env.NOTIFIER_ADMIN_TOKEN;
  if (token !== '' && token.length < MIN_PRODUCTION_TOKEN_LENGTH) {
    problems.push([
      'NOTIFIER_ADMIN_TOKEN',
      `must be at least ${MIN_PRODUCTION_TOKEN_LENGTH} characters in production (empty turns the admin API off)`,
    ]);
  }
  problems.push(...robotEndpointProblems(env));
  if (env.NOTIFIER_SMS_DRIVER === 'log') return problems;
  if (env.NOTIFIER_SMS_ACCESS_KEY_ID === SANDBOX_SMS_KEY_ID)
    problems.push(['NOTIFIER_SMS_ACCESS_KEY_ID', 'is the sandbox default in production']);
  if (env.NOTIFIER_SMS_ACCESS_KEY_SECRET === SANDBOX_SMS_KEY_SECRET)
    problems.push(['NOTIFIER_SMS_ACCESS_KEY_SECRET', 'is the sandbox default in production']);
  if (new URL(env.NOTIFIER_SMS_ENDPOINT).protocol === 'http:' && !env.NOTIFIER_SMS_ALLOW_PLAIN_HTTP) {
    problems.push([
      'NOTIFIER_SMS_ENDPOINT',
      'plain http in production: use https, or set NOTIFIER_SMS_ALLOW_PLAIN_HTTP=true (a proxy you trust)',
    ]);
  }
  return problems;
}

/** Robot keys and tokens travel in the URL or body: in production, only over https (or a proxy explicitly trusted). */
function robotEndpointProblems(env: NotifierEnv): Problem[] {
  if (env.NOTIFIER_ROBOT_ALLOW_PLAIN_HTTP) return [];
  const endpoints = {
    wecom: ['NOTIFIER_WECOM_ENDPOINT', 'NOTIFIER_WECOM_ROBOTS'],
    dingtalk: ['NOTIFIER_DINGTALK_ENDPOINT', 'NOTIFIER_DINGTALK_ROBOTS'],
    feishu: ['NOTIFIER_FEISHU_ENDPOINT', 'NOTIFIER_FEISHU_ROBOTS'],
  } as const;
  return ROBOT_CHANNELS.filter((c) => {
    const [endpoint, robots] = endpoints[c];
    return Object.keys(env[robots]).length > 0 && new URL(env[endpoint]).protocol === 'http:';
  }).map((c): Problem => [
    endpoints[c][0],
    'plain http in production: use https, or set NOTIFIER_ROBOT_ALLOW_PLAIN_HTTP=true (a proxy you trust)',
  ]);
}

export const notifierEnvSchema = notifierEnvObject.superRefine((env, ctx) => {
  const problems = [...smtpProblems(env), ...(env.NODE_ENV === 'production' ? productionProblems(env) : [])];
  for (const [variable, message] of problems) ctx.addIssue({ code: 'custom', path: [variable], message });
});

export type NotifierConfig = z.infer<typeof notifierEnvSchema>;

/** Where a finding opens for a person: the console's finding page. */
export function findingLinkOf(
  config: Pick<NotifierConfig, 'NOTIFIER_CONSOLE_URL'>,
  findingId: string,
): string {
  return `${config.NOTIFIER_CONSOLE_URL.replace(/\/+$/, '')}/findings/${encodeURIComponent(findingId)}`;
}
export const loadNotifierConfig = (env: NodeJS.ProcessEnv = process.env): NotifierConfig =>
  loadConfig(notifierEnvSchema, env);
