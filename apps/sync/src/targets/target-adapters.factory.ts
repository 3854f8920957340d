import { Clock, SystemClock } from '@lib/common';
import { createLogger } from '@lib/observability';
import {
  AuthorityAdapter,
  BaiwangAdapter,
  InvoiceTargetAdapter,
  NuonuoAdapter,
  providerSettingsFrom,
  TokenStore,
} from '@lib/providers';
import { SyncConfig } from '../sync.config';

/**
 * Builds the production adapters (libs/providers) from configuration: the authority always, Baiwang and
 * Nuonuo when their base URL is set. A target without an adapter gets no worker: its deliveries stay
 * pending and show in the backlog metrics until one is configured. Each adapter owns one breaker; its
 * socket pool matches the worker's concurrency.
 */
export function createTargetAdapters(config: SyncConfig, tokens: TokenStore, clock: Clock = new SystemClock()): InvoiceTargetAdapter[] {
  const settings = providerSettingsFrom(config);
  const logger = createLogger('sync', config.LOG_LEVEL);
  const adapters: InvoiceTargetAdapter[] = [
    new AuthorityAdapter({ ...settings.authority, maxSockets: config.SYNC_CONCURRENCY_AUTHORITY }, clock),
  ];
  if (settings.baiwang) {
    adapters.push(new BaiwangAdapter({ ...settings.baiwang, maxSockets: config.SYNC_CONCURRENCY_BAIWANG }, tokens, clock, logger));
  }
  if (settings.nuonuo) {
    const { notFoundGraceMs, ...connection } = settings.nuonuo;
    adapters.push(
      new NuonuoAdapter({ ...connection, maxSockets: config.SYNC_CONCURRENCY_NUONUO }, tokens, clock, { notFoundGraceMs }, logger),
    );
  }
  return adapters;
}
