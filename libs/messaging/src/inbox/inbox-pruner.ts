import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { envBool, envInt, loadConfig, sleep } from '@lib/common';
import { counter, createLogger } from '@lib/observability';
import { pruneInbox } from './inbox-store';

/**
 * Variables of the inbox pruner (docs/messaging.md, "Inbox retention"). Exported so that a service's own schema can
 * include them (`.extend(inboxPrunerEnvSchema.shape)`) and reject a bad value together with the rest.
 */
export const inboxPrunerEnvSchema = z.object({
  INBOX_PRUNE_ENABLED: envBool(true),
  /** Keep rows at least this long: longer than any redelivery (Kafka retention + segment roll, offsets retention). */
  INBOX_RETENTION_DAYS: envInt(15, 1, 3_650),
  INBOX_PRUNE_INTERVAL_MS: envInt(3_600_000, 1_000, 86_400_000),
  /** Rows per DELETE statement (one short transaction each). */
  INBOX_PRUNE_BATCH_SIZE: envInt(5_000, 1, 100_000),
});

export interface InboxPrunerOptions {
  enabled: boolean;
  retentionDays: number;
  intervalMs: number;
  batchSize: number;
  /** Pause between two batches of one run, so a large backlog does not monopolise the database. */
  batchPauseMs?: number;
}

/** Reads the pruner's variables with the shared config loader; a bad value throws a ConfigError naming it. */
export function loadInboxPrunerOptions(env: NodeJS.ProcessEnv = process.env): InboxPrunerOptions {
  const config = loadConfig(inboxPrunerEnvSchema, env);
  return {
    enabled: config.INBOX_PRUNE_ENABLED,
    retentionDays: config.INBOX_RETENTION_DAYS,
    intervalMs: config.INBOX_PRUNE_INTERVAL_MS,
    batchSize: config.INBOX_PRUNE_BATCH_SIZE,
  };
}

const pruned = counter('inbox_pruned_total', 'Inbox rows deleted after their retention');

export interface PruneRun {
  deleted: number;
  /** Rows deleted by each statement, in order; none exceeds the batch size. */
  batches: number[];
}

/**
 * Deletes inbox rows older than the retention, every `intervalMs` (first run after a random fraction of a minute,
 * so replicas started together do not prune in step), in batches of `batchSize` rows, each its own short
 * transaction. Safe on every replica at once: batches lock their rows with SKIP LOCKED, so concurrent pruners
 * delete disjoint rows and never wait for each other; a consumer claiming an event id whose old row is being
 * deleted waits for that batch only.
 */
export class InboxPruner {
  private readonly log: Logger;
  private abort = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    readonly options: InboxPrunerOptions,
    logger?: Logger,
  ) {
    this.log = logger ?? createLogger('inbox-pruner');
  }

  start(): void {
    if (this.loop || !this.options.enabled) return;
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.loop = undefined;
  }

  /** One pass: batches until a batch comes back short (nothing old is left) or the pruner is stopped. */
  async pruneOnce(signal?: AbortSignal): Promise<PruneRun> {
    const run: PruneRun = { deleted: 0, batches: [] };
    const { retentionDays, batchSize } = this.options;
    for (;;) {
      const deleted = await pruneInbox(this.dataSource.manager, retentionDays, batchSize);
      run.batches.push(deleted);
      run.deleted += deleted;
      pruned.inc(deleted);
      if (deleted < batchSize || signal?.aborted) return run;
      await sleep(this.options.batchPauseMs ?? 50, signal);
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    await sleep(Math.floor(Math.random() * Math.min(60_000, this.options.intervalMs)), signal);
    while (!signal.aborted) {
      try {
        const { deleted, batches } = await this.pruneOnce(signal);
        if (deleted > 0) this.log.info({ deleted, batches: batches.length }, 'pruned the inbox');
      } catch (error) {
        this.log.warn(
          { err: error, nextInMs: this.options.intervalMs },
          'inbox pruning failed; will try again',
        );
      }
      await sleep(this.options.intervalMs, signal);
    }
  }
}
