import { clockFromOffset, ConfigError } from '@lib/common';
import { AuthorityRecordsAdapter, BaiwangChannelAdapter, InMemoryTokenStore, providerSettingsFrom } from '@lib/providers';
import { ReconcileConfig } from '../reconcile.config';
import { InvoiceCheckChannel } from './invoice-check.port';
import { UploadQueryCheckChannel } from './upload-query-check.channel';
import { VerificationCheckChannel } from './verification-check.channel';

/** The per-invoice channels reconcile knows, by the name RECONCILE_PER_INVOICE_CHANNELS lists them. */
export const INVOICE_CHECK_CHANNEL_NAMES = ['baiwang-query', 'authority-verify', 'baiwang-validate'] as const;

/**
 * The per-invoice channels in the configured order. The authority's 查验 gets its own adapter and breaker
 * (`authority-verify`), so a broken list does not stop verification and vice versa; Baiwang's two methods
 * share one adapter (breaker `baiwang-query`) and reconcile's own token (its password grant has no quota).
 * A Baiwang channel is left out while BAIWANG_BASE_URL is unset.
 */
export function createInvoiceCheckChannels(config: ReconcileConfig): InvoiceCheckChannel[] {
  if (config.RECONCILE_PER_INVOICE_CHANNELS === 'none') return [];
  const names = config.RECONCILE_PER_INVOICE_CHANNELS.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(INVOICE_CHECK_CHANNEL_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new ConfigError(unknown.map((n) => `RECONCILE_PER_INVOICE_CHANNELS: unknown channel ${n} (known: ${INVOICE_CHECK_CHANNEL_NAMES.join(', ')})`));
  const settings = providerSettingsFrom(config);
  const clock = clockFromOffset(config.CLOCK_OFFSET_MS);
  const baiwang = settings.baiwang ? new BaiwangChannelAdapter(settings.baiwang, new InMemoryTokenStore(), clock) : null;
  const channels: InvoiceCheckChannel[] = [];
  for (const name of names) {
    if (name === 'authority-verify') {
      channels.push(new VerificationCheckChannel(name, new AuthorityRecordsAdapter({ ...settings.authority, name: 'authority-verify' }, clock)));
    } else if (baiwang && name === 'baiwang-query') {
      channels.push(new UploadQueryCheckChannel(name, baiwang));
    } else if (baiwang && name === 'baiwang-validate') {
      channels.push(new VerificationCheckChannel(name, baiwang));
    }
  }
  return channels;
}
