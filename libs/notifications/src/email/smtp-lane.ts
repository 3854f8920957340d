import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { SmtpSettings } from './smtp-email.provider';

type LogEntry = { tnx?: unknown } | undefined;

/**
 * One pooled nodemailer transport with a single connection, carrying one message at a time, so that what
 * the transport reports can be tied to that message. The transport logs `tnx: 'message'` when the whole
 * content (with its terminating dot) has been written to the connection: from then on the server may
 * have queued the email even if its reply never arrives.
 */
export class SmtpLane {
  private readonly transport: Transporter;
  private contentWritten = false;
  busy = false;

  constructor(settings: SmtpSettings) {
    const observe = (entry: LogEntry) => {
      if (entry && entry.tnx === 'message') this.contentWritten = true;
    };
    const quiet = () => undefined;
    this.transport = nodemailer.createTransport({
      pool: true,
      maxConnections: 1,
      // A connection can drop after the server took the message: nodemailer must not resend it by itself.
      maxRequeues: 0,
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTls,
      ignoreTLS: !settings.secure && !settings.requireTls,
      tls: { rejectUnauthorized: settings.rejectUnauthorized },
      auth: settings.user ? { user: settings.user, pass: settings.password } : undefined,
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
      logger: { trace: quiet, debug: quiet, info: observe, warn: quiet, error: quiet, fatal: quiet },
    } as Parameters<typeof nodemailer.createTransport>[0]);
  }

  /** Sends raw MIME; on failure, `handedOver` says whether the content had reached the connection. */
  async send(
    from: string,
    to: string,
    raw: Buffer,
  ): Promise<{ ok: true; response?: string } | { ok: false; error: unknown; handedOver: boolean }> {
    this.contentWritten = false;
    try {
      const info = (await this.transport.sendMail({ envelope: { from, to: [to] }, raw })) as {
        response?: string;
      };
      return { ok: true, response: info.response };
    } catch (error) {
      return { ok: false, error, handedOver: this.contentWritten };
    }
  }

  close(): void {
    this.transport.close();
  }
}
