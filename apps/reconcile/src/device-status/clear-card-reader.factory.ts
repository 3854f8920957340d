import { clockFromOffset } from '@lib/common';
import { AuthorityRecordsAdapter, providerSettingsFrom } from '@lib/providers';
import { ReconcileConfig } from '../reconcile.config';
import { ClearCardReader } from './clear-card-cross-check.service';

/**
 * The authority's clear-card status through the AUTHORITY_* connection, with its own breaker
 * (`authority-clear-card`): an outage of the clear-card endpoint does not close the list channel, nor the reverse.
 */
export function createClearCardReader(config: ReconcileConfig): ClearCardReader {
  const { authority } = providerSettingsFrom(config);
  return new AuthorityRecordsAdapter({ ...authority, name: 'authority-clear-card' }, clockFromOffset(config.CLOCK_OFFSET_MS));
}
