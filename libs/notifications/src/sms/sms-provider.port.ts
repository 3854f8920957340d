import { ProviderReceipt } from '../delivery/delivery-failure';

/** One templated SMS to one mobile number. */
export interface SmsMessage {
  phoneNumber: string;
  templateCode: string;
  templateParams: Record<string, string>;
  /** Our idempotency key (the provider's OutId): a resend with the same key is not sent twice. */
  outId: string;
}

/** Sends SMS through a provider's template API. One class per provider. */
export interface ISmsProvider {
  readonly id: string;
  isAvailable(): boolean;
  send(message: SmsMessage): Promise<ProviderReceipt>;
  close(): Promise<void>;
}

export const SMS_PROVIDER = Symbol('SMS_PROVIDER');
