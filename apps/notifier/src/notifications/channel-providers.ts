import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import {
  EMAIL_PROVIDER,
  IEmailProvider,
  IRobotProvider,
  ISmsProvider,
  NotificationChannel,
  ROBOT_PROVIDERS,
  RobotChannel,
  SMS_PROVIDER,
} from '@lib/notifications';

/** The configured provider of each channel; each robot platform has its own (and its own breaker). */
@Injectable()
export class ChannelProviders implements OnApplicationShutdown {
  constructor(
    @Inject(EMAIL_PROVIDER) readonly email: IEmailProvider,
    @Inject(SMS_PROVIDER) readonly sms: ISmsProvider,
    @Inject(ROBOT_PROVIDERS) readonly robots: Record<RobotChannel, IRobotProvider>,
  ) {}

  robot(channel: RobotChannel): IRobotProvider {
    return this.robots[channel];
  }

  isAvailable(channel: NotificationChannel): boolean {
    if (channel === 'email') return this.email.isAvailable();
    if (channel === 'sms') return this.sms.isAvailable();
    return this.robots[channel].isAvailable();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([
      this.email.close(),
      this.sms.close(),
      ...Object.values(this.robots).map((r) => r.close()),
    ]);
  }
}
