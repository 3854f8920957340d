import type { Clock } from '@lib/common';
import { IEmailProvider } from './email/email-provider.port';
import { LoggingEmailProvider, NotificationLogger } from './email/logging-email.provider';
import { SmtpEmailProvider, SmtpSettings } from './email/smtp-email.provider';
import { AliyunSmsProvider, AliyunSmsSettings } from './sms/aliyun-sms.provider';
import { LoggingSmsProvider } from './sms/logging-sms.provider';
import { ISmsProvider } from './sms/sms-provider.port';

export const EMAIL_DRIVERS = ['smtp', 'log'] as const;
export type EmailDriver = (typeof EMAIL_DRIVERS)[number];
export const SMS_DRIVERS = ['aliyun', 'log'] as const;
export type SmsDriver = (typeof SMS_DRIVERS)[number];

/** Picks the email adapter named by configuration (a driver enum, never an environment check). */
export function createEmailProvider(
  driver: EmailDriver,
  smtp: SmtpSettings,
  logger: NotificationLogger,
): IEmailProvider {
  const drivers: Record<EmailDriver, () => IEmailProvider> = {
    smtp: () => new SmtpEmailProvider(smtp),
    log: () => new LoggingEmailProvider(logger),
  };
  return drivers[driver]();
}

export function createSmsProvider(
  driver: SmsDriver,
  aliyun: AliyunSmsSettings,
  logger: NotificationLogger,
  clock?: Clock,
): ISmsProvider {
  const drivers: Record<SmsDriver, () => ISmsProvider> = {
    aliyun: () => new AliyunSmsProvider(aliyun, clock),
    log: () => new LoggingSmsProvider(logger),
  };
  return drivers[driver]();
}
