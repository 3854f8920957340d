import { ProviderReceipt } from '../delivery/delivery-failure';

/** One rendered email to one person. */
export interface EmailMessage {
  /** Stable per notification (`<n-123.finding@notifier.host>`): a resend carries the same id. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

/** Sends email. One class per vendor or transport; tests and development swap it, never a branch. */
export interface IEmailProvider {
  readonly id: string;
  /** False while the provider's breaker is open: the sender claims no email then. */
  isAvailable(): boolean;
  send(message: EmailMessage): Promise<ProviderReceipt>;
  close(): Promise<void>;
}

export const EMAIL_PROVIDER = Symbol('EMAIL_PROVIDER');
