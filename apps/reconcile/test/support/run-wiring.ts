import { DataSource } from 'typeorm';
import { Clock } from '@lib/common';
import { ClearCardCrossCheck } from '../../src/device-status/clear-card-cross-check.service';
import { AuthorityChecksRepository } from '../../src/pull/authority-checks.repository';
import { AuthorityListChannel } from '../../src/pull/authority-list.port';
import { InvoiceCheckChannel } from '../../src/pull/invoice-check.port';
import { LedgerScopeRepository } from '../../src/pull/ledger-scope.repository';
import { PerInvoicePullService, PerInvoiceSettings } from '../../src/pull/per-invoice-pull.service';
import { PullProgress } from '../../src/pull/pull-progress.port';
import { PullMetrics } from '../../src/pull/pull.metrics';
import { PullService, PullSettings } from '../../src/pull/pull.service';
import { StagingRepository } from '../../src/pull/staging.repository';
import { ComparePhaseService } from '../../src/runs/compare-phase.service';
import { RunMetrics } from '../../src/runs/run.metrics';
import { RunsRepository } from '../../src/runs/runs.repository';
import { StepTimings } from '../../src/step-timings';
import { RunReconciliationUseCase } from '../../src/use-cases/run-reconciliation/run-reconciliation.use-case';

/**
 * A run's classes wired by hand over a test's data source, with the test's channels (no Nest, no Kafka): what
 * PullModule, RunsModule and the use cases' module compose in the app. The clear-card cross-check asks nothing here
 * (its own tests: clear-card-cross-check.int-spec.ts), so devices are judged on their own reports.
 */
export const NO_CLEAR_CARD_CHECK: ClearCardCrossCheck = {
  record: async () => undefined,
  prune: async () => undefined,
};

const UNUSED_PER_INVOICE: PerInvoiceSettings = {
  pageSize: 100,
  attempts: 1,
  backoffMs: 0,
  minIntervalMs: 0,
  maxChecks: 0,
  reuseMs: 0,
  visibilityLagMs: 0,
};

/** The per-invoice pull over `channels` (none: not configured, as the app's pull when a test gives only listing channels). */
export function perInvoicePull(
  ds: DataSource,
  channels: InvoiceCheckChannel[],
  settings: PerInvoiceSettings,
  clock: Clock,
): PerInvoicePullService {
  return new PerInvoicePullService(
    ds,
    new StagingRepository(),
    new LedgerScopeRepository(),
    new AuthorityChecksRepository(),
    channels,
    settings,
    clock,
  );
}

export function pullService(
  ds: DataSource,
  channels: AuthorityListChannel[],
  settings: PullSettings,
  clock: Clock,
  perInvoice: PerInvoicePullService = perInvoicePull(ds, [], UNUSED_PER_INVOICE, clock),
): PullService {
  return new PullService(ds, new StagingRepository(), perInvoice, channels, settings, clock, new PullMetrics());
}

/** The run-reconciliation use case over a pull and a compare phase (ReconcileDb.comparePhase). */
export function runUseCase(
  ds: DataSource,
  runs: RunsRepository,
  pull: PullService,
  comparePhase: ComparePhaseService,
  settings: PullSettings,
  clock: Clock,
  timings: StepTimings = new StepTimings(),
): RunReconciliationUseCase {
  return new RunReconciliationUseCase(
    ds,
    runs,
    pull,
    comparePhase,
    timings,
    settings,
    clock,
    NO_CLEAR_CARD_CHECK,
    new RunMetrics(),
  );
}

/** The progress a run's pull records, as the use case gives it (RunsRepository.progress, fenced by the worker's lease). */
export function runProgress(
  runs: RunsRepository,
  run: { id: string; workerId: string },
  clock: Clock,
  leaseMs: number,
): PullProgress {
  return { record: (m, fields) => runs.progress(m, run, fields, clock.now(), leaseMs) };
}
