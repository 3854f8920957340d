import { InvoiceTargetAdapter, TokenStore } from '@lib/providers';
import { SyncConfig } from '../sync.config';

/**
 * Builds the production adapters (libs/providers) from configuration. A target without an adapter
 * gets no worker: its deliveries stay pending and show in the backlog metrics until one is configured.
 */
export function createTargetAdapters(_config: SyncConfig, _tokens: TokenStore): InvoiceTargetAdapter[] {
  return [];
}
