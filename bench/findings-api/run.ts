// The first page of findings as the finance console asks for it (docs/benchmarks.md, "findings-api"): reconcile's real
// HTTP API with a person's access token (a test issuer's JWT, checked with its JWKS as any IdP's), 100,000 findings across
// 50 branches, the page of 50 with its total, for a clerk of 2 branches and for an all-branch scope; against the same
// page read by a plain indexed SQL query on the same database. Target: p95 < 300 ms through the API.
//   node -r ./test/support/ts-register.js bench/findings-api/run.ts      (BENCH_FINDINGS, BENCH_REQUESTS)
import { performance } from 'node:perf_hooks';
import { ManualClock } from '@lib/common';
import { startTestIssuer } from '@lib/testing';
// eslint-disable-next-line no-restricted-imports -- reconcile as its integration tests run it (in process, throw-away schema)
import { ReconcileHarness } from '../../apps/reconcile/test/support/reconcile-harness';
import { writeResult } from '../support/result';

const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const BRANCHES = 50;
const TARGET_P95_MS = 300;

const branch = (n: number) => `B${String(n).padStart(2, '0')}`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timed(n: number, call: () => Promise<void>) {
  for (let i = 0; i < 10; i += 1) await call(); // warm-up: JIT, connection pool, the JWKS cache
  const ms: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = performance.now();
    await call();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    p50Ms: round(percentile(ms, 50)),
    p95Ms: round(percentile(ms, 95)),
    maxMs: round(ms[ms.length - 1]),
  };
}

async function main(): Promise<void> {
  const issuer = await startTestIssuer();
  const h = new ReconcileHarness();
  await h.start([], new ManualClock('2026-11-20T02:00:00Z'), {
    ...issuer.env,
    RECONCILE_WORKERS_ENABLED: 'false',
    LOG_LEVEL: 'warn',
  });
  try {
    const seedStart = performance.now();
    // 10 taxpayers × 6 periods, branches round-robin; one history entry each, as a run writes them.
    await h.query(
      `INSERT INTO findings (id, tax_no, period, type, subject, state, severity, branch_id, device_id, invoice_key, invoice_type,
         invoice_code, invoice_number, explanation, evidence, created_at, updated_at)
       SELECT gen_random_uuid(), '9144030000000000' || lpad((g % 10)::text, 2, '0'), '2026-0' || (1 + g % 6)::text,
              (ARRAY['MISSING_IN_AUTHORITY','STATUS_MISMATCH','AMOUNT_MISMATCH','MISSING_IN_LEDGER'])[1 + g % 4],
              '2544200000' || lpad(g::text, 10, '0'),
              (ARRAY['open','remediating','resolved','escalated','ignored'])[1 + g % 5],
              (ARRAY['info','warning','critical'])[1 + g % 3], 'B' || lpad((g % $2)::text, 2, '0'), 'dev-' || (g % 500)::text,
              '2544200000' || lpad(g::text, 10, '0'), 'DIGITAL_GENERAL', NULL, '2544200000' || lpad(g::text, 10, '0'),
              'Invoice ' || g::text || ' is not at the authority.', '{}'::jsonb,
              timestamptz '2026-01-01T00:00:00Z' + g * interval '1 minute', timestamptz '2026-01-01T00:00:00Z' + g * interval '1 minute'
         FROM generate_series(1, $1::int) g`,
      [FINDINGS, BRANCHES],
    );
    await h.query(
      `INSERT INTO finding_history (finding_id, from_state, to_state, action, actor_kind, actor, actor_name, reason, run_id, at)
       SELECT id, NULL, state, 'open', 'service', 'reconcile', 'reconcile', NULL, NULL, created_at FROM findings`,
    );
    await h.query('ANALYZE findings');
    await h.query('ANALYZE finding_history');
    const seedS = Math.round((performance.now() - seedStart) / 100) / 10;

    const clerkBranches = [branch(7), branch(31)];
    const scopes = [
      {
        name: 'clerk (2 branches)',
        token: await issuer.token({
          sub: 'clerk',
          name: 'Clerk',
          roles: ['branch-clerk'],
          branches: clerkBranches,
        }),
        sqlBranches: clerkBranches as string[] | null,
      },
      {
        name: 'all branches (finance-manager)',
        token: await issuer.token({ sub: 'manager', name: 'Manager', roles: ['finance-manager'] }),
        sqlBranches: null,
      },
    ];
    const results = [];
    for (const scope of scopes) {
      let total = 0;
      const api = await timed(REQUESTS, async () => {
        const answer = await h.api('GET', '/v1/findings?limit=50', undefined, scope.token);
        if (answer.status !== 200 || answer.body.items.length !== 50)
          throw new Error(`unexpected answer ${answer.status}`);
        total = answer.body.total;
      });
      // The baseline: the same page and total by plain SQL on the same indexes (no HTTP, no token, no history, no JSON).
      const sql = await timed(REQUESTS, async () => {
        await Promise.all([
          h.query(
            `SELECT * FROM findings WHERE ($1::text[] IS NULL OR branch_id = ANY($1::text[])) ORDER BY created_at, id LIMIT 50`,
            [scope.sqlBranches],
          ),
          h.query('SELECT COUNT(*) FROM findings WHERE ($1::text[] IS NULL OR branch_id = ANY($1::text[]))', [
            scope.sqlBranches,
          ]),
        ]);
      });
      results.push({
        scope: scope.name,
        total,
        api,
        sql,
        ratioP95: Math.round((api.p95Ms / Math.max(sql.p95Ms, 0.1)) * 10) / 10,
      });
      process.stdout.write(
        `${scope.name}: total ${total}; API p50 ${api.p50Ms} ms, p95 ${api.p95Ms} ms; SQL p50 ${sql.p50Ms} ms, p95 ${sql.p95Ms} ms\n`,
      );
    }
    const result = {
      findings: FINDINGS,
      branches: BRANCHES,
      requestsPerScope: REQUESTS,
      pageSize: 50,
      seedS,
      targetP95Ms: TARGET_P95_MS,
      scopes: results,
      met: results.every((r) => r.api.p95Ms < TARGET_P95_MS),
    };
    process.stdout.write(`written: ${writeResult('findings-api', result)}\n`);
  } finally {
    await h.stop();
    await issuer.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
