import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Logger } from 'pino';
import type { SandboxCounters } from '../core/counters';
import { ManagedServer } from '../core/managed-server';
import { sleep } from '../faults/fault-gate.middleware';
import type { FaultInjector } from '../faults/fault-injector';

export interface RecordedMail {
  id: number;
  messageId: string | null;
  envelope: { mailFrom: string | null; rcptTo: string[] };
  from: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  text: string | null;
  html: string | null;
  headers: Record<string, string>;
  date: string | null;
  size: number;
  receivedAt: string;
}

export interface SmtpSinkOptions {
  host: string;
  /** When set, AUTH PLAIN/LOGIN is required with these credentials. */
  auth: { user: string; pass: string } | null;
  faults: FaultInjector;
  counters: SandboxCounters;
  logger: Logger;
  /** The simulated world's wall clock (epoch ms): when a message counts as received. */
  now: () => number;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((item) => item.value.map((a) => a.address ?? '').filter(Boolean));
}

/**
 * A real SMTP server that records every message (parsed with mailparser). Faults: "unavailable" outage
 * → 421 on connect; refuse → listener closed; rate limit → 421 at MAIL FROM; hang → no reply; errors → 451;
 * latency → delayed reply to MAIL FROM.
 */
export class SmtpSink {
  private messages: RecordedMail[] = [];
  private sequence = 0;
  private readonly server: SMTPServer;
  readonly listener: ManagedServer;

  constructor(private readonly options: SmtpSinkOptions) {
    const stats = (): ReturnType<SandboxCounters['of']> => options.counters.of('smtp');
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !options.auth,
      allowInsecureAuth: true,
      logger: false,
      banner: 'sandbox SMTP sink (never production)',
      size: 25 * 1024 * 1024,
      closeTimeout: 200,
      onConnect: (_session, callback) => {
        const retry = options.faults.unavailable('smtp');
        if (retry === null) return callback();
        stats().faults.outages += 1;
        callback(smtpError('Service not available, try again later', 421));
      },
      onAuth: (auth, _session, callback) => {
        const ok =
          !!options.auth && auth.username === options.auth.user && auth.password === options.auth.pass;
        if (ok) return callback(null, { user: auth.username });
        stats().authFailures += 1;
        callback(smtpError('Authentication credentials invalid', 535));
      },
      onMailFrom: (_address, _session, callback) => void this.onMailFrom(callback),
      onData: (stream, session, callback) => void this.onData(stream, session, callback),
    });
    this.server.on('error', (error) => options.logger.warn({ err: error }, 'smtp error'));
    this.listener = new ManagedServer(this.server.server, options.host, () => {
      for (const connection of this.server.connections) connection.close();
    });
  }

  list(filter: { to?: string } = {}): RecordedMail[] {
    const to = filter.to?.toLowerCase();
    return to
      ? this.messages.filter((m) => m.envelope.rcptTo.some((r) => r.toLowerCase() === to))
      : [...this.messages];
  }

  clear(): void {
    this.messages = [];
    this.sequence = 0;
  }

  async close(): Promise<void> {
    await this.listener.close();
  }

  private async onMailFrom(callback: (err?: Error | null) => void): Promise<void> {
    const stats = this.options.counters.of('smtp');
    stats.received += 1;
    const decision = this.options.faults.decide('smtp', 'send');
    switch (decision.kind) {
      case 'outage':
        stats.faults.outages += 1;
        return callback(smtpError('Service not available, try again later', 421));
      case 'rate-limited':
        stats.faults.rateLimited += 1;
        return callback(smtpError('Too many messages, slow down', 421));
      case 'hang':
        stats.faults.hangs += 1;
        return;
      default:
        if (decision.delayMs > 0) {
          stats.faults.latency += 1;
          await sleep(decision.delayMs);
        }
        if (decision.kind === 'error') {
          stats.faults.errors += 1;
          return callback(smtpError('Requested action aborted: local error in processing', 451));
        }
        callback();
    }
  }

  private async onData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null, message?: string) => void,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of stream) chunks.push(chunk as Buffer);
    } catch (error: unknown) {
      // The client went away mid-message (a sender killed during DATA): nothing was received, and the sink goes on.
      this.options.logger.warn({ err: error }, 'smtp message not received in full');
      return callback(error instanceof Error ? error : new Error(String(error)));
    }
    if (stream.sizeExceeded) return callback(smtpError('Message exceeds fixed maximum message size', 552));
    const raw = Buffer.concat(chunks);
    try {
      const parsed = await simpleParser(raw);
      this.sequence += 1;
      const headers: Record<string, string> = {};
      for (const { key, line } of parsed.headerLines) {
        headers[key] = line
          .slice(line.indexOf(':') + 1)
          .replace(/\r?\n[ \t]+/g, ' ')
          .trim();
      }
      this.messages.push({
        id: this.sequence,
        messageId: parsed.messageId ?? null,
        envelope: {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        },
        from: addresses(parsed.from)[0] ?? null,
        to: addresses(parsed.to),
        cc: addresses(parsed.cc),
        subject: parsed.subject ?? null,
        text: parsed.text ?? null,
        html: parsed.html || null,
        headers,
        date: parsed.date ? parsed.date.toISOString() : null,
        size: raw.length,
        receivedAt: new Date(this.options.now()).toISOString(),
      });
      this.options.counters.of('smtp').accepted += 1;
      callback(null, `Message queued as sandbox-${this.sequence}`);
    } catch (error: unknown) {
      this.options.counters.of('smtp').rejected += 1;
      callback(smtpError(`Message could not be parsed: ${String(error)}`, 554));
    }
  }
}
