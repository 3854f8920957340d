import { Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ManualClock } from '@lib/common';
import { KAFKA_SETTINGS } from '@lib/messaging';
import { AuditLog } from '@lib/platform';
import { CompareService } from './compare/compare.service';
import { InvoiceCompareRepository } from './compare/invoice-compare.repository';
import {
  CLEAR_CARD_CROSS_CHECK,
  ClearCardCrossCheckService,
} from './device-status/clear-card-cross-check.service';
import { FindingsMergeService } from './findings/findings-merge.service';
import { FindingsModule } from './findings/findings.module';
import { PullService } from './pull/pull.service';
import { StagingRepository } from './pull/staging.repository';
import { ReconcileCoreModule } from './reconcile-core.module';
import { loadReconcileConfig } from './reconcile.config';
import { FindingsRemediation } from './remediation/merge-remediation';
import { ComparePhaseService } from './runs/compare-phase.service';
import { RUN_EXECUTOR } from './runs/run-executor.port';
import { RunWorkerService } from './runs/run-worker.service';
import { RunsModule } from './runs/runs.module';
import { RunsRepository } from './runs/runs.repository';
import { StepTimings } from './step-timings';
import { RunReconciliationUseCase } from './use-cases/run-reconciliation/run-reconciliation.use-case';
import { ReconcileUseCasesModule } from './use-cases/use-cases.module';

/** Stands for what ServiceModule gives the app (its data source, Kafka settings, audit log): nothing here touches them. */
@Module({})
class NoPlatformModule {}

/** The feature modules compose without the platform: every provider resolves, and each keeps its parts to itself. */
describe("reconcile's modules", () => {
  let app: TestingModule;

  beforeAll(async () => {
    const config = loadReconcileConfig({
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      KAFKA_BROKERS: '127.0.0.1:1',
      RECONCILE_WORKERS_ENABLED: 'false',
    });
    app = await Test.createTestingModule({
      imports: [
        {
          module: NoPlatformModule,
          global: true,
          providers: [
            { provide: DataSource, useValue: {} },
            { provide: KAFKA_SETTINGS, useValue: { brokers: ['127.0.0.1:1'], clientId: 'unit' } },
            { provide: AuditLog, useValue: {} },
          ],
          exports: [DataSource, KAFKA_SETTINGS, AuditLog],
        },
        ReconcileCoreModule.forRoot(config, new ManualClock('2026-11-20T02:00:00Z')),
        ReconcileUseCasesModule.forRoot(config, { channels: [], checkChannels: [] }),
      ],
    }).compile();
  });
  afterAll(() => app?.close());

  it('runs are executed by the run-reconciliation use case, bound to the interface the worker owns', () => {
    expect(app.get(RUN_EXECUTOR)).toBe(app.get(RunReconciliationUseCase));
    expect(app.get(RunWorkerService)).toBeInstanceOf(RunWorkerService);
    expect(app.get(CLEAR_CARD_CROSS_CHECK)).toBeInstanceOf(ClearCardCrossCheckService);
  });

  it('one step-timings recorder for the comparison, the merge and the run that records them', () => {
    const timings = app.get(StepTimings);
    for (const owner of [
      app.get(CompareService),
      app.get(FindingsMergeService),
      app.get(RunReconciliationUseCase),
    ]) {
      expect(Object.values(owner)).toContain(timings);
    }
  });

  it('exports only what later modules use: the runs see the compare phase, not the pull nor its parts; findings nothing of what builds on them', () => {
    const runs = app.select(RunsModule);
    expect(runs.get(ComparePhaseService, { strict: true })).toBeInstanceOf(ComparePhaseService);
    expect(() => runs.get(PullService, { strict: true })).toThrow();
    expect(() => runs.get(InvoiceCompareRepository, { strict: true })).toThrow();
    expect(() => runs.get(StagingRepository, { strict: true })).toThrow();
    // findings see nothing of remediation, which builds on them (the merge is handed it: MergeRemediation)
    const findings = app.select(FindingsModule);
    expect(findings.get(FindingsMergeService, { strict: true })).toBeInstanceOf(FindingsMergeService);
    expect(() => findings.get(FindingsRemediation, { strict: true })).toThrow();
    expect(() => findings.get(RunsRepository, { strict: true })).toThrow();
  });
});
