import { ConfigError } from '@lib/common';
import { loadInboxPrunerOptions } from './inbox-pruner';

describe('inbox pruner configuration', () => {
  it('defaults to a retention of 15 days, pruned hourly in batches of 5,000', () => {
    expect(loadInboxPrunerOptions({})).toEqual({
      enabled: true,
      retentionDays: 15,
      intervalMs: 3_600_000,
      batchSize: 5_000,
    });
  });

  it('reads the variables', () => {
    expect(
      loadInboxPrunerOptions({
        INBOX_PRUNE_ENABLED: 'false',
        INBOX_RETENTION_DAYS: '30',
        INBOX_PRUNE_INTERVAL_MS: '600000',
        INBOX_PRUNE_BATCH_SIZE: '1000',
      }),
    ).toEqual({ enabled: false, retentionDays: 30, intervalMs: 600_000, batchSize: 1_000 });
  });

  it('names a bad variable', () => {
    expect(() => loadInboxPrunerOptions({ INBOX_RETENTION_DAYS: '0' })).toThrow(ConfigError);
    expect(() => loadInboxPrunerOptions({ INBOX_PRUNE_BATCH_SIZE: 'many' })).toThrow(
      /INBOX_PRUNE_BATCH_SIZE: must be an integer/,
    );
  });
});
