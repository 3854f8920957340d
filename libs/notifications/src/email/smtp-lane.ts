import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { SmtpSettings } from './smtp-email.provider';

type LogEntry = { tnx?: unknown } | undefined;

/**
 * Implicit TLS, STARTTLS required, or STARTTLS when offered. Credentials never go out in the clear unless the
 * settings allow it (a relay on the same host). Without them, STARTTLS is opportunistic (RFC 7435): the alternative
 * is cleartext, so the certificate is not verified and a server refusing STARTTLS still gets the message.
 */
function transportSecurity(settings: SmtpSettings) {
  const verified = { tls: { rejectUnauthorized: settings.rejectUnauthorized } };
  if (settings.secure) return { secure: true, ...verified };
  const credentials = settings.user !== '';
  if (settings.requireTls || (credentials && !settings.allowPlainAuth)) {
    return { secure: false, requireTLS: true, ...verified };
  }
  return { secure: false, opportunisticTLS: true, tls: { rejectUnauthorized: false } };
}

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
      ...transportSecurity(settings),
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
