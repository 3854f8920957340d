import { maskEmail } from '@lib/common';
import { ProviderReceipt } from '../delivery/delivery-failure';
import { EmailMessage, IEmailProvider } from './email-provider.port';

export interface NotificationLogger {
  info(fields: Record<string, unknown>, message: string): void;
}

/** Development driver: logs that an email would be sent (address masked, no content) and succeeds. */
export class LoggingEmailProvider implements IEmailProvider {
  readonly id = 'log';

  constructor(private readonly logger: NotificationLogger) {}

  isAvailable(): boolean {
    return true;
  }

  async send(message: EmailMessage): Promise<ProviderReceipt> {
    this.logger.info(
      { to: maskEmail(message.to), messageId: message.messageId, subject: message.subject },
      'email (log driver, not sent)',
    );
    return { provider: this.id, providerMessageId: message.messageId, response: 'logged' };
  }

  async close(): Promise<void> {}
}
