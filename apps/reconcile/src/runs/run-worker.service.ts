import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock, CLOCK, ID_SOURCE, IdSource, sleep } from '@lib/common';
import { RECONCILE_CONFIG } from '../reconcile.tokens';
import { ReconcileConfig } from '../reconcile.config';
import { RUN_EXECUTOR, RunExecutor } from './run-executor.port';
import { RunsRepository } from './runs.repository';

/** Claims queued (or abandoned) runs and executes them, one at a time per process. */
@Injectable()
export class RunWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RunWorkerService.name);
  readonly workerId: string;
  private stopping = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly runs: RunsRepository,
    @Inject(RUN_EXECUTOR) private readonly executor: RunExecutor,
    @Inject(RECONCILE_CONFIG) private readonly config: ReconcileConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_SOURCE) ids: IdSource,
  ) {
    this.workerId = `reconcile-${ids.uuid()}`;
  }

  onApplicationBootstrap(): void {
    if (this.config.RECONCILE_WORKERS_ENABLED) this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /** Claims and executes one run; false when there was none. */
  async tick(): Promise<boolean> {
    const run = await this.runs.claim(this.workerId, this.clock.now(), this.config.RECONCILE_RUN_LEASE_MS);
    if (!run) return false;
    await this.executor.execute({ ...run, workerId: this.workerId });
    return true;
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let worked = false;
      try {
        worked = await this.tick();
      } catch (error) {
        this.logger.error({ err: error }, 'run worker tick failed');
      }
      if (!worked) await sleep(this.config.RECONCILE_POLL_MS, this.stopping.signal).catch(() => undefined);
    }
  }
}
