import { maskPhone } from '@lib/common';
import { ProviderReceipt } from '../delivery/delivery-failure';
import { NotificationLogger } from '../email/logging-email.provider';
import { ISmsProvider, SmsMessage } from './sms-provider.port';

/** Development driver: logs the SMS it would send (number masked) and succeeds. */
export class LoggingSmsProvider implements ISmsProvider {
  readonly id = 'log';

  constructor(private readonly logger: NotificationLogger) {}

  isAvailable(): boolean {
    return true;
  }

  async send(message: SmsMessage): Promise<ProviderReceipt> {
    this.logger.info(
      { to: maskPhone(message.phoneNumber), templateCode: message.templateCode, outId: message.outId },
      'sms (log driver, not sent)',
    );
    return { provider: this.id, providerMessageId: `log-${message.outId}`, response: 'logged' };
  }

  async close(): Promise<void> {}
}
