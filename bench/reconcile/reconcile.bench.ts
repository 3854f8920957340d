/* eslint-disable no-restricted-imports -- the benchmark drives reconcile's own classes directly */
// Reconcile benchmark: one taxpayer-period, N ledger invoices and N authority records (1% of each discrepancy),
// pulled page by page from an in-process channel through the real pull, staging, comparison and findings code.
// Run: node -r ./test/support/ts-register.js bench/reconcile/reconcile.bench.ts   (BENCH_N=1000000 by default)
import { performance } from 'node:perf_hooks';
import { ManualClock } from '@lib/common';
import { CreateInbox1763800000001, CreateOutbox1763800000000 } from '@lib/messaging';
import { createServiceDataSource, prepareSchema } from '@lib/persistence';
import { CompareService } from '../../apps/reconcile/src/compare/compare.service';
import { DeviceCompareRepository } from '../../apps/reconcile/src/compare/device-compare.repository';
import { InvoiceCompareRepository } from '../../apps/reconcile/src/compare/invoice-compare.repository';
import { FindingEventsPublisher } from '../../apps/reconcile/src/findings/finding-events.publisher';
import { FindingsMergeService } from '../../apps/reconcile/src/findings/findings-merge.service';
import { FindingsRepository } from '../../apps/reconcile/src/findings/findings.repository';
import { RECONCILE_MIGRATIONS } from '../../apps/reconcile/src/persistence/migrations';
import {
  AuthorityListChannel,
  AuthorityListPage,
  AuthorityListQuery,
} from '../../apps/reconcile/src/pull/authority-list.port';
import { PullService } from '../../apps/reconcile/src/pull/pull.service';
import { StagingRepository } from '../../apps/reconcile/src/pull/staging.repository';
import { RemediationRepository } from '../../apps/reconcile/src/remediation/remediation.repository';
import { ReuploadPublisher } from '../../apps/reconcile/src/remediation/reupload.publisher';
import { ComparePhaseService } from '../../apps/reconcile/src/runs/compare-phase.service';
import { RunsRepository } from '../../apps/reconcile/src/runs/runs.repository';
import { RunReconciliationUseCase } from '../../apps/reconcile/src/use-cases/run-reconciliation/run-reconciliation.use-case';
import { writeResult } from '../support/result';
import { SEED_DELIVERIES, SEED_DEVICES, SEED_LEDGER, SEED_VERSIONS } from './seed.sql';

const N = Number(process.env.BENCH_N ?? 1_000_000);
const TAX_NO = '91440300MA5BENCH01';
const PERIOD = '2026-10';
const NOW = new Date('2026-11-20T02:00:00Z');
const URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/invoice_sync';
const SCHEMA = `reconcile_bench_${Date.now().toString(36)}`;

/** Authority records generated per page from the index alone (nothing held in memory). */
class GeneratedChannel implements AuthorityListChannel {
  readonly name = 'authority';

  async listPage(q: AuthorityListQuery): Promise<AuthorityListPage> {
    const start = q.pageToken ? Number(q.pageToken) : 1;
    const items = [];
    for (let i = start; i < start + q.pageSize && i <= N; i += 1) {
      if (i % 100 === 0 || i % 100 === 5) continue; // only in the ledger
      const key = `25442${String(i).padStart(15, '0')}`;
      const fen = i % 100 === 2;
      items.push({
        invoiceKey: key,
        type: 'DIGITAL_GENERAL',
        code: null,
        number: key,
        issuedAt: '2026-10-10T10:00:00+08:00',
        amount: '100.00',
        taxAmount: fen ? '13.01' : '13.00',
        totalAmount: fen ? '113.01' : '113.00',
        status: 'NORMAL' as const,
      });
    }
    return { items, nextPageToken: start + q.pageSize <= N ? String(start + q.pageSize) : null };
  }
}

async function main(): Promise<void> {
  const ds = createServiceDataSource({
    url: URL,
    schema: SCHEMA,
    migrations: [CreateOutbox1763800000000, CreateInbox1763800000001, ...RECONCILE_MIGRATIONS],
    poolSize: 4,
    statementTimeoutMs: 3_600_000,
  });
  await ds.initialize();
  await prepareSchema(ds, SCHEMA);
  try {
    let t = performance.now();
    await ds.query(SEED_LEDGER, [N, TAX_NO, PERIOD]);
    await ds.query(SEED_VERSIONS);
    await ds.query(SEED_DELIVERIES, [NOW]);
    for (const sql of SEED_DEVICES) await ds.query(sql, [TAX_NO, PERIOD]);
    await ds.query('ANALYZE');
    const seedMs = performance.now() - t;

    const clock = new ManualClock(NOW);
    const kafka = { brokers: ['127.0.0.1:9092'], clientId: 'bench' };
    const rules = { visibilityLagMs: 86_400_000, maxReuploads: 3, lockWithinDays: 7, offlineNearPercent: 80 };
    const settings = { pageSize: 1000, minIntervalMs: 0, pageAttempts: 3, backoffMs: 0, leaseMs: 3_600_000 };
    const runs = new RunsRepository(ds);
    const merge = new FindingsMergeService(
      new FindingsRepository(),
      new FindingEventsPublisher(kafka),
      new ReuploadPublisher(kafka),
      new RemediationRepository(),
    );
    const compareService = new CompareService(new InvoiceCompareRepository(), new DeviceCompareRepository());
    const compare = new ComparePhaseService(compareService, merge, rules);
    const pull = new PullService(
      ds,
      runs,
      new StagingRepository(),
      [new GeneratedChannel()],
      settings,
      clock,
    );
    const useCase = new RunReconciliationUseCase(ds, runs, pull, compare, settings, clock);

    const { runId } = await runs.enqueue(TAX_NO, PERIOD, 'bench', 'bench', NOW);
    const claimed = await runs.claim('bench', NOW, settings.leaseMs);
    t = performance.now();
    await useCase.execute({ ...claimed!, workerId: 'bench' });
    const runMs = performance.now() - t;
    const run = await runs.get(runId);

    // Baseline: the same anti-joins and join, hand-written, no classification, explanation or findings.
    t = performance.now();
    const baseline = (await ds.query(
      `WITH l AS (SELECT * FROM ledger_invoices WHERE tax_no = $1 AND period = $2 AND source = 'ledger'),
            a AS (SELECT * FROM authority_staged WHERE run_id = $3)
       SELECT (SELECT COUNT(*) FROM l WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.invoice_key = l.invoice_key))::int AS missing_in_authority,
              (SELECT COUNT(*) FROM a WHERE NOT EXISTS (SELECT 1 FROM l WHERE l.invoice_key = a.invoice_key))::int AS missing_in_ledger,
              (SELECT COUNT(*) FROM l JOIN a USING (invoice_key) WHERE (l.amount, l.tax_amount, l.total_amount) <> (a.amount, a.tax_amount, a.total_amount))::int AS amount_mismatch,
              (SELECT COUNT(*) FROM l JOIN a USING (invoice_key) WHERE (CASE l.state WHEN 'issued' THEN 'NORMAL' WHEN 'voided' THEN 'VOIDED' ELSE 'RED_REVERSED' END) <> a.status)::int AS status_mismatch`,
      [TAX_NO, PERIOD, runId],
    )) as Record<string, number>[];
    const baselineMs = performance.now() - t;
    const findings = (await ds.query(
      `SELECT type, COUNT(*)::int AS n FROM findings GROUP BY type ORDER BY type`,
    )) as { type: string; n: number }[];
    const ledger = (await ds.query(
      `SELECT COUNT(*)::int AS n FROM ledger_invoices WHERE source = 'ledger'`,
    )) as { n: number }[];
    const timings = run?.timings as { pullMs: number; compareMs: number; totalMs: number };
    const result = {
      n: N,
      ledgerInvoices: ledger[0].n,
      authorityRecords: run?.records,
      state: run?.state,
      seedMs: Math.round(seedMs),
      runMs: Math.round(runMs),
      pullMs: timings.pullMs,
      compareMs: timings.compareMs,
      compareSteps: compareService.lastStepMs,
      mergeSteps: merge.lastStepMs,
      baselineMs: Math.round(baselineMs),
      compareToBaseline: Number((timings.compareMs / baselineMs).toFixed(2)),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      discrepancies: (run?.counts as { discrepancies: unknown }).discrepancies,
      findings: Object.fromEntries(findings.map((f) => [f.type, f.n])),
      baseline: baseline[0],
    };
    console.log(JSON.stringify(result, null, 2));
    writeResult('reconcile', { at: new Date().toISOString(), ...result });
  } finally {
    // BENCH_KEEP_SCHEMA=1 leaves the seeded schema for EXPLAIN ANALYZE of single statements (drop it by hand).
    if (process.env.BENCH_KEEP_SCHEMA === '1') console.error(`kept schema ${SCHEMA}`);
    else await ds.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await ds.destroy();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
