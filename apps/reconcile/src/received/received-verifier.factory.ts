import { clockFromOffset, ConfigError } from '@lib/common';
import {
  AuthorityRecordsAdapter,
  BaiwangChannelAdapter,
  FailoverInvoiceVerifier,
  InMemoryTokenStore,
  InvoiceVerifier,
  providerSettingsFrom,
} from '@lib/providers';
import { ReconcileConfig } from '../reconcile.config';

export const RECEIVED_CHANNEL_NAMES = ['authority', 'baiwang'] as const;

/**
 * The 查验 channels for received invoices, in RECONCILE_RECEIVED_CHANNELS order (default: the authority, then Baiwang
 * when the authority is down or the invoice's quota there is used up). Each has its own adapter and breaker
 * (`received-verify`, `received-baiwang`), so checks of received invoices never trip a run's channels or the reverse;
 * Baiwang is left out while BAIWANG_BASE_URL is unset.
 */
export function createReceivedVerifier(config: ReconcileConfig): FailoverInvoiceVerifier {
  const names = config.RECONCILE_RECEIVED_CHANNELS.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(RECEIVED_CHANNEL_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new ConfigError(unknown.map((n) => `RECONCILE_RECEIVED_CHANNELS: unknown channel ${n} (known: ${RECEIVED_CHANNEL_NAMES.join(', ')})`));
  }
  const settings = providerSettingsFrom(config);
  const clock = clockFromOffset(config.CLOCK_OFFSET_MS);
  const verifiers: InvoiceVerifier[] = [];
  for (const name of names) {
    if (name === 'authority') verifiers.push(new AuthorityRecordsAdapter({ ...settings.authority, name: 'received-verify' }, clock));
    if (name === 'baiwang' && settings.baiwang) {
      verifiers.push(new BaiwangChannelAdapter({ ...settings.baiwang, name: 'received-baiwang' }, new InMemoryTokenStore(), clock));
    }
  }
  return new FailoverInvoiceVerifier(verifiers);
}
