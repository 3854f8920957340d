import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import {
  EMAIL_PROVIDER,
  IEmailProvider,
  ISmsProvider,
  NotificationChannel,
  SMS_PROVIDER,
} from '@lib/notifications';

/** The configured provider of each channel. */
@Injectable()
export class ChannelProviders implements OnApplicationShutdown {
  constructor(
    @Inject(EMAIL_PROVIDER) readonly email: IEmailProvider,
    @Inject(SMS_PROVIDER) readonly sms: ISmsProvider,
  ) {}

  isAvailable(channel: NotificationChannel): boolean {
    return channel === 'email' ? this.email.isAvailable() : this.sms.isAvailable();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.email.close(), this.sms.close()]);
  }
}
