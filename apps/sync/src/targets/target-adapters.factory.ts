import { Clock, SystemClock } from '@lib/common';
import { createLogger } from '@lib/observability';
import { InvoiceTargetAdapter, TargetRegistry, targetRegistry, TokenStore } from '@lib/providers';
import { concurrencyOf, SyncConfig } from '../sync.config';

/**
 * Builds the production adapters (libs/providers) of every registered target this configuration sets up (the
 * authority always; a platform once its base URL is set). A target without an adapter gets no worker: its deliveries
 * stay pending and show in the backlog metrics until one is configured. Each adapter owns one breaker; its socket pool
 * matches the worker's concurrency.
 */
export function createTargetAdapters(
  config: SyncConfig,
  tokens: TokenStore,
  clock: Clock = new SystemClock(),
  registry: TargetRegistry = targetRegistry,
): InvoiceTargetAdapter[] {
  const logger = createLogger('sync', config.LOG_LEVEL);
  return registry.all().flatMap((target) => {
    const settings: unknown = target.settings(config);
    if (settings === undefined) return [];
    return [
      target.createAdapter(settings, { tokens, clock, logger, maxSockets: concurrencyOf(config, target) }),
    ];
  });
}
