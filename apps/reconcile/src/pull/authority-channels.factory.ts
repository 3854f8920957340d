import { clockFromOffset } from '@lib/common';
import { AuthorityRecordsAdapter, providerSettingsFrom } from '@lib/providers';
import { ReconcileConfig } from '../reconcile.config';
import { AuthorityListChannel, UnconfiguredAuthorityChannel } from './authority-list.port';
import { AuthorityRecordsChannel } from './authority-records.channel';

/**
 * The pull channels in order of preference, from configuration. Today: the authority's own list (its
 * own breaker, `authority-records`; requests are signed with the wall clock the whole system runs on, the
 * system's moved by CLOCK_OFFSET_MS, whatever clock the comparison runs on). The alternate channels of libs/providers answer per invoice
 * (Baiwang upload query, 查验), not per period: they are the per-invoice channels
 * (invoice-check-channels.factory.ts), asked when these fail; see docs/reconcile.md.
 */
export function createAuthorityChannels(config: ReconcileConfig): AuthorityListChannel[] {
  if (!config.RECONCILE_AUTHORITY_LIST_ENABLED) return [new UnconfiguredAuthorityChannel()];
  const settings = providerSettingsFrom(config);
  return [new AuthorityRecordsChannel('authority', new AuthorityRecordsAdapter(settings.authority, clockFromOffset(config.CLOCK_OFFSET_MS)))];
}
