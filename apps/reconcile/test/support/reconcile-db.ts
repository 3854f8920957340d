import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CryptoIdSource, IdSource } from '@lib/common';
import { CreateInbox1763800000001, CreateOutbox1763800000000, KafkaSettings } from '@lib/messaging';
import { createServiceDataSource, prepareSchema } from '@lib/persistence';
import { CreateAuditLog1766000000000 } from '@lib/platform';
import { dropSchema, testDatabaseUrl, uniqueName } from '@lib/testing';
import { CheckedCompareRepository } from '../../src/compare/checked-compare.repository';
import { CompareService } from '../../src/compare/compare.service';
import { DeviceCompareRepository } from '../../src/compare/device-compare.repository';
import { InvoiceCompareRepository } from '../../src/compare/invoice-compare.repository';
import { RunDiscrepanciesRepository } from '../../src/compare/run-discrepancies.repository';
import { ScopeCompareRepository } from '../../src/compare/scope-compare.repository';
import { FindingEventsPublisher } from '../../src/findings/finding-events.publisher';
import { FindingTransitionsRepository } from '../../src/findings/finding-transitions.repository';
import { FindingsMergeService } from '../../src/findings/findings-merge.service';
import { FindingsRepository } from '../../src/findings/findings.repository';
import { MaintenanceWindowsRepository } from '../../src/maintenance/maintenance-windows.repository';
import { RECONCILE_MIGRATIONS } from '../../src/persistence/migrations';
import { FindingsRemediation } from '../../src/remediation/merge-remediation';
import { RemediationRepository } from '../../src/remediation/remediation.repository';
import { ReuploadLogRepository } from '../../src/remediation/reupload-log.repository';
import { ReuploadPublisher } from '../../src/remediation/reupload.publisher';
import { ComparePhaseResult, ComparePhaseService } from '../../src/runs/compare-phase.service';
import { ReconcileRules } from '../../src/runs/reconcile-rules';
import { StepTimings } from '../../src/step-timings';

export const TAX_NO = '91440300MA5XXXXX1A';

/** A throw-away reconcile schema with every migration, and the compare phase wired by hand (no Nest, no Kafka; the app composes the same classes in its modules). */
export class ReconcileDb {
  readonly schema = uniqueName('reconcile_it');
  dataSource!: DataSource;
  rules: ReconcileRules = { visibilityLagMs: 86_400_000, maxReuploads: 3, lockWithinDays: 7, offlineNearPercent: 80 };
  readonly kafka: KafkaSettings = { brokers: ['127.0.0.1:9092'], clientId: 'reconcile-test' };
  /** New ids of the classes wired here, as the app draws them. */
  readonly ids: IdSource = new CryptoIdSource();

  async start(): Promise<this> {
    this.dataSource = createServiceDataSource({
      url: testDatabaseUrl(),
      schema: this.schema,
      migrations: [CreateOutbox1763800000000, CreateInbox1763800000001, CreateAuditLog1766000000000, ...RECONCILE_MIGRATIONS],
      poolSize: 4,
    });
    await this.dataSource.initialize();
    await prepareSchema(this.dataSource, this.schema);
    return this;
  }

  async stop(): Promise<void> {
    await this.dataSource?.destroy();
    await dropSchema(this.schema);
  }

  /** The comparison and the findings merge, as CompareModule, FindingsModule and RemediationModule compose them. */
  comparePhase(merge: FindingsMergeService = this.findingsMerge(), timings: StepTimings = new StepTimings()): ComparePhaseService {
    return new ComparePhaseService(this.compareService(timings), merge, this.remediation(), new MaintenanceWindowsRepository(), this.rules);
  }

  compareService(timings: StepTimings = new StepTimings()): CompareService {
    return new CompareService(new InvoiceCompareRepository(), new DeviceCompareRepository(), new CheckedCompareRepository(), new ScopeCompareRepository(), new RunDiscrepanciesRepository(), timings);
  }

  findingsMerge(timings: StepTimings = new StepTimings()): FindingsMergeService {
    return new FindingsMergeService(new FindingsRepository(), new FindingTransitionsRepository(), this.findingEvents(), timings, this.ids);
  }

  remediation(): FindingsRemediation {
    return new FindingsRemediation(new RemediationRepository(), this.reuploads(), new ReuploadLogRepository());
  }

  /** The finding events' publisher, as FindingsModule composes it. */
  findingEvents(): FindingEventsPublisher {
    return new FindingEventsPublisher(this.kafka, new FindingTransitionsRepository());
  }

  /** The re-upload commands' publisher, as RemediationModule composes it. */
  reuploads(): ReuploadPublisher {
    return new ReuploadPublisher(this.kafka, new ReuploadLogRepository());
  }

  /** A run row in state running, so staged rows and findings can refer to it. */
  async newRun(period: string, taxNo = TAX_NO): Promise<string> {
    const id = randomUUID();
    await this.query(
      `INSERT INTO reconcile_runs (id, tax_no, period, state, trigger, requested_by, created_at) VALUES ($1, $2, $3, 'completed', 'test', 'test', now())`,
      [id, taxNo, period],
    );
    return id;
  }

  async compare(runId: string, period: string, now: Date, pullComplete = true, taxNo = TAX_NO): Promise<ComparePhaseResult> {
    return this.dataSource.transaction((m) => this.comparePhase().execute(m, { runId, taxNo, period, pullComplete, now }));
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.dataSource.query(sql, params)) as T[];
  }
}
