import { ChannelBreaker, ChannelBreakerSettings } from '../delivery/channel-breaker';
import { ProviderReceipt } from '../delivery/delivery-failure';
import { EmailMessage, IEmailProvider } from './email-provider.port';
import { composeMime } from './mime';
import { classifySmtpError } from './smtp-failure.classifier';
import { SmtpLane } from './smtp-lane';

export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS (port 465). */
  secure: boolean;
  /**
   * Insist on STARTTLS on a plain port. Credentials insist on it anyway (unless `allowPlainAuth`); without either,
   * STARTTLS is used when the server offers it (see SmtpLane).
   */
  requireTls: boolean;
  /** Verify the server certificate when TLS is required (turn off only for a private relay with a self-signed one). */
  rejectUnauthorized: boolean;
  user: string;
  password: string;
  /** Let credentials go out unencrypted when the server offers no STARTTLS (a relay on the same host only). */
  allowPlainAuth?: boolean;
  /** Connections kept open (each carries one message at a time). */
  maxConnections: number;
  /** Connection, greeting and socket (idle) timeout. */
  timeoutMs: number;
  breaker?: Partial<ChannelBreakerSettings>;
}

/**
 * Email over SMTP with nodemailer (pooled, persistent connections, TLS when configured), behind the email
 * channel's breaker.
 *
 * Exactly once: retries are ours, never nodemailer's, and only after a failure that proves the message was
 * not taken (a 4xx reply, or a failure before the content reached the connection). A failure after the
 * content went out is `unknown`: the caller holds it instead of resending. The MIME carries the
 * notification's stable Message-ID, so even a manual resend is recognisable as the same email.
 */
export class SmtpEmailProvider implements IEmailProvider {
  readonly id = 'smtp';
  private readonly lanes: SmtpLane[];
  private readonly breaker: ChannelBreaker<EmailMessage, ProviderReceipt>;
  private readonly waiting: ((lane: SmtpLane) => void)[] = [];

  constructor(settings: SmtpSettings) {
    this.lanes = Array.from({ length: Math.max(1, settings.maxConnections) }, () => new SmtpLane(settings));
    this.breaker = new ChannelBreaker('email', (message) => this.deliver(message), settings.breaker);
  }

  isAvailable(): boolean {
    return !this.breaker.isOpen;
  }

  send(message: EmailMessage): Promise<ProviderReceipt> {
    return this.breaker.fire(message);
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    for (const lane of this.lanes) lane.close();
  }

  private async deliver(message: EmailMessage): Promise<ProviderReceipt> {
    const raw = await composeMime(message);
    const lane = await this.acquire();
    try {
      const result = await lane.send(message.from, message.to, raw);
      if (!result.ok) throw classifySmtpError(result.error, result.handedOver);
      return { provider: this.id, providerMessageId: message.messageId, response: result.response };
    } finally {
      this.release(lane);
    }
  }

  /** A free connection, or the next one freed (callers queue rather than fail). */
  private acquire(): Promise<SmtpLane> {
    const free = this.lanes.find((l) => !l.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(lane: SmtpLane): void {
    const next = this.waiting.shift();
    if (next) next(lane);
    else lane.busy = false;
  }
}
