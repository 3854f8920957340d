import { folderOf, importsOf, ImportEdge, sourceFilesOf } from '@lib/testing';

/**
 * Reconcile's pipeline depends one way (docs/reconcile.md, "Modules"): a folder may import its own files, the shared
 * files at the root of src (config, tokens, error codes, step timings), an earlier folder of PIPELINE and the inputs
 * the pipeline reads (INPUTS), never a later folder nor the edge (http, messaging, use-cases, the features beside the
 * pipeline). Where an earlier folder needs something of a later one, it declares a small interface that the later one
 * implements or the run hands it (pull/pull-progress.port.ts, findings/merge-remediation.port.ts, runs/run-executor.port.ts).
 */
const PIPELINE = ['projections', 'pull', 'compare', 'findings', 'remediation', 'runs', 'device-status'];
/** Read by the pipeline (the compare phase holds types a maintenance window covers); they import none of it. */
const INPUTS = ['maintenance'];
/** Root files that compose everything: nothing in the pipeline imports them. */
const COMPOSITION_ROOTS = ['app.module.ts', 'main.ts'];
/** The edge (HTTP and Kafka): it imports the use cases and features; nothing but the edge and the composition imports it. */
const EDGE = ['http', 'messaging'];
/** Shared by every folder: keyset paging (persistence/keyset-cursor.ts) and the migrations. */
const SHARED = ['persistence'];

const SRC = __dirname;

/** The imports that break the one-way rule, as `from → to`. */
export function violations(edges: readonly ImportEdge[]): string[] {
  const bad: string[] = [];
  for (const { from, to } of edges) {
    const source = folderOf(from);
    const target = folderOf(to);
    if (source === null || source === target) continue;
    if (target !== null && EDGE.includes(target) && !EDGE.includes(source)) {
      bad.push(`${from} → ${to}`);
      continue;
    }
    if (INPUTS.includes(source)) {
      if (target !== null && PIPELINE.includes(target)) bad.push(`${from} → ${to}`);
      continue;
    }
    const rank = PIPELINE.indexOf(source);
    if (rank < 0) continue;
    const allowed =
      target === null
        ? !COMPOSITION_ROOTS.some((root) => to === root.replace(/\.ts$/, '') || to === root)
        : SHARED.includes(target) ||
          INPUTS.includes(target) ||
          (PIPELINE.includes(target) && PIPELINE.indexOf(target) < rank);
    if (!allowed) bad.push(`${from} → ${to}`);
  }
  return bad.sort();
}

describe("reconcile's folders depend one way", () => {
  it('no pipeline folder imports a later one, the edge or the composition root, its inputs import none of it, and only the edge imports the edge', () => {
    const files = sourceFilesOf(SRC);
    const edges = importsOf(files);
    // the scan reads what it should: the run's use case imports the pull, and the pipeline imports across folders
    expect(edges).toContainEqual({
      from: 'use-cases/run-reconciliation/run-reconciliation.use-case.ts',
      to: 'pull/pull.service',
    });
    expect(edges.filter((e) => PIPELINE.some((f) => e.from.startsWith(`${f}/`))).length).toBeGreaterThan(100);
    expect(violations(edges)).toEqual([]);
  });

  it('catches an import of a later folder, of the edge, of the root module and from an input into the pipeline', () => {
    const files = new Map([
      [
        'pull/pull.service.ts',
        "import { RunsRepository } from '../runs/runs.repository';\nimport { AppError } from '@lib/common';",
      ],
      ['findings/findings-query.repository.ts', "import type { FindingFilters } from '../http/api.schemas';"],
      ['remediation/x.ts', "export { ReconcileAppModule } from '../app.module';"],
      [
        'compare/compare.service.ts',
        "import { heldTypesAt } from '../maintenance/maintenance-hold.rules';\nimport { StepTimings } from '../step-timings';",
      ],
      ['runs/run-worker.service.ts', "import { PullService } from '../pull/pull.service';"],
      ['maintenance/y.ts', "import { FindingsRepository } from '../findings/findings.repository';"],
      ['use-cases/z.use-case.ts', "import { RunsRepository } from '../../runs/runs.repository';"],
      ['use-cases/q/q.use-case.ts', "import { ListRunsQuery } from '../../http/api.schemas';"],
      ['corrections/c.controller.ts', "import { uuidParamSchema } from '../http/api.schemas';"],
      ['runs/p.ts', "import { pageOf } from '../persistence/keyset-cursor';"],
      ['http/h.controller.ts', "import { ListRunsQuery } from '../use-cases/q/q.use-case';"],
    ]);
    expect(violations(importsOf(files))).toEqual([
      'corrections/c.controller.ts → http/api.schemas',
      'findings/findings-query.repository.ts → http/api.schemas',
      'maintenance/y.ts → findings/findings.repository',
      'pull/pull.service.ts → runs/runs.repository',
      'remediation/x.ts → app.module',
      'use-cases/q/q.use-case.ts → http/api.schemas',
    ]);
  });
});
