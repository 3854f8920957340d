import type { Logger } from 'pino';
import type { AuthorityCredential } from '../authority/authority-auth.middleware';
import type { AuthoritySettings } from '../authority/authority.simulator';
import type { BaiwangApp } from '../baiwang/baiwang-token.store';
import type { IdpOptions } from '../idp/sandbox-idp';
import type { NuonuoOrderSettings } from '../nuonuo/nuonuo-orders.service';
import type { NuonuoApp, NuonuoTokenSettings } from '../nuonuo/nuonuo-token.store';
import type { DingtalkSettings } from '../robots/dingtalk-robot.service';
import type { FeishuSettings } from '../robots/feishu-robot.service';
import type { WecomSettings } from '../robots/wecom-robot.service';
import type { SmsSettings } from '../sms/sms-gateway.service';

/** The simulators' listening ports (the process's control API has its own, see apps/sandbox). */
export const SANDBOX_PORT_NAMES = ['authority', 'baiwang', 'nuonuo', 'sms', 'smtp'] as const;
export type SandboxPortName = (typeof SANDBOX_PORT_NAMES)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface BaiwangSettings {
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  timestampWindowMs: number;
  /** One-key device calls (抄报, 清卡, monitor) a taxpayer may make per `deviceCallWindowMs` (simulated). */
  deviceCallLimit: number;
  deviceCallWindowMs: number;
}

export interface NuonuoSettings extends NuonuoOrderSettings, NuonuoTokenSettings {
  timestampWindowMs: number;
}

/** Everything is optional: ports default to 0 (ephemeral), credentials to the dev defaults below. */
export interface SandboxOptions {
  host?: string;
  ports?: Partial<Record<SandboxPortName, number>>;
  seed?: string | number;
  /** Simulated seconds per real second (3600: one real second is a simulated hour). */
  timeScale?: number;
  /** Simulated time at start (default: now). */
  startTime?: string | number | Date;
  /**
   * The world's wall clock is the system's plus this (ms; CLOCK_OFFSET_MS, the same the services get), so a whole
   * system can play another date: signature windows, receipt times and the default start time read it.
   */
  clockOffsetMs?: number;
  logLevel?: string;
  logger?: Logger;
  authority?: Partial<AuthoritySettings> & { credentials?: AuthorityCredential[] };
  baiwang?: Partial<BaiwangSettings> & { apps?: BaiwangApp[] };
  nuonuo?: Partial<NuonuoSettings> & { apps?: NuonuoApp[] };
  sms?: Partial<SmsSettings>;
  smtp?: { auth?: { user: string; pass: string } | null };
  /** The group robots (WeCom, DingTalk, Feishu): their credentials and limits (the platforms' by default). */
  robots?: {
    wecom?: Partial<WecomSettings>;
    dingtalk?: Partial<DingtalkSettings>;
    feishu?: Partial<FeishuSettings>;
  };
  /** Port of the robots' own listener (0 = ephemeral); the sandbox process also serves them under `/robots`. */
  robotsPort?: number;
  /** The identity provider (people, the console's client, audience, keys); served by the sandbox process under /idp. */
  idp?: IdpOptions;
}

/** Development credentials: fine for a loopback simulator, never valid anywhere else. */
export const DEV_CREDENTIALS = {
  authority: { appId: 'sandbox-authority-app', appSecret: 'sandbox-authority-secret', taxNos: '*' as const },
  baiwang: {
    appKey: 'sandbox-baiwang-key',
    appSecret: 'sandbox-baiwang-secret',
    username: 'sandbox',
    password: 'sandbox-pass',
    taxNos: '*' as const,
  },
  nuonuo: { appKey: 'sandbox-nuonuo-key', appSecret: 'sandbox-nuonuo-secret', taxNos: '*' as const },
  sms: { id: 'sandbox-sms-key', secret: 'sandbox-sms-secret' },
  /** One robot per platform, named `finance` (the name the notifier's configuration refers to it by). */
  wecom: { name: 'finance', key: 'sandbox-wecom-key' },
  dingtalk: { name: 'finance', accessToken: 'sandbox-dingtalk-token', secret: 'SECsandbox-dingtalk-secret' },
  feishu: { name: 'finance', token: 'sandbox-feishu-token', secret: 'sandbox-feishu-secret' },
};

export const DEFAULT_SMS_TEMPLATES = [
  { code: 'SMS_INVOICE_ALERT', content: '您有${count}条发票异常待处理：${summary}' },
  {
    code: 'SMS_CLEAR_CARD_OVERDUE',
    content: '纳税人${taxNo}的设备${deviceNo}尚未清卡，截止${deadline}，请尽快处理',
  },
  { code: 'SMS_DIGEST', content: '${date}发票同步日报：${summary}' },
];

/** Live settings (the control API may change them while running). */
export interface SandboxSettings {
  authority: AuthoritySettings;
  authorityCredentials: AuthorityCredential[];
  baiwang: BaiwangSettings;
  baiwangApps: BaiwangApp[];
  nuonuo: NuonuoSettings;
  nuonuoApps: NuonuoApp[];
  sms: SmsSettings;
  smtpAuth: { user: string; pass: string } | null;
  robots: { wecom: WecomSettings; dingtalk: DingtalkSettings; feishu: FeishuSettings };
}

/** Drops undefined values so that an absent override keeps the default. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function resolveSettings(options: SandboxOptions): SandboxSettings {
  const { credentials, ...authorityOverrides } = options.authority ?? {};
  const { apps: baiwangApps, ...baiwangOverrides } = options.baiwang ?? {};
  const { apps: nuonuoApps, ...nuonuoOverrides } = options.nuonuo ?? {};
  const [authority, baiwang, nuonuo] = [
    defined(authorityOverrides),
    defined(baiwangOverrides),
    defined(nuonuoOverrides),
  ];
  return {
    authority: { visibilityLagMs: 2000, dailyQueryQuota: 5, redFormConfirmMs: 72 * HOUR, ...authority },
    authorityCredentials: credentials ?? [DEV_CREDENTIALS.authority],
    baiwang: {
      accessTokenTtlMs: 2 * HOUR,
      refreshTokenTtlMs: 30 * DAY,
      timestampWindowMs: 600_000,
      deviceCallLimit: 30,
      deviceCallWindowMs: 60_000,
      ...baiwang,
    },
    baiwangApps: baiwangApps ?? [DEV_CREDENTIALS.baiwang],
    nuonuo: {
      ttlMs: DAY,
      quota: { limit: 50, windowMs: 30 * DAY },
      issuingMs: 3000,
      sealingMs: 2000,
      queryLagMs: 1000,
      serialDailyLimit: 20,
      timestampWindowMs: 600_000,
      ...nuonuo,
    },
    nuonuoApps: nuonuoApps ?? [DEV_CREDENTIALS.nuonuo],
    sms: {
      accessKeys: options.sms?.accessKeys ?? [DEV_CREDENTIALS.sms],
      signNames: options.sms?.signNames ?? ['发票同步'],
      templates: options.sms?.templates ?? DEFAULT_SMS_TEMPLATES,
    },
    smtpAuth: options.smtp?.auth ?? null,
    robots: {
      wecom: {
        robots: [DEV_CREDENTIALS.wecom],
        limit: 20,
        windowMs: 60_000,
        ...defined(options.robots?.wecom ?? {}),
      },
      dingtalk: {
        robots: [DEV_CREDENTIALS.dingtalk],
        limit: 20,
        windowMs: 60_000,
        throttleMs: 10 * 60_000,
        timestampWindowMs: HOUR,
        ...defined(options.robots?.dingtalk ?? {}),
      },
      feishu: {
        robots: [DEV_CREDENTIALS.feishu],
        perMinute: 100,
        perSecond: 5,
        timestampWindowMs: HOUR,
        ...defined(options.robots?.feishu ?? {}),
      },
    },
  };
}
