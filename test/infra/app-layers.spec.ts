import { join } from 'node:path';
import { importsOf, layerViolations, LayerRule, sourceFilesOf } from '@lib/testing';

/**
 * Every app depends one way (docs/conventions.md, "One way inside an app"): its folders in an order from what it
 * stores to what it answers; a folder imports only folders before it, and the edge (HTTP controllers, Kafka consumers,
 * workers) comes last. A controller or a Nest module kept in a feature folder is edge too, and may call the use cases. Reconcile's pipeline has its own, finer rule (apps/reconcile/src/import-direction.spec.ts).
 */
const EDGE = ['http', 'messaging', 'workers'] as const;

const RULES: Record<string, LayerRule> = {
  sync: {
    order: ['persistence', 'ledger', 'targets', 'routing', 'delivery', 'remote-ops', 'use-cases', EDGE],
    compositionRoots: ['app.module.ts', 'main.ts'],
  },
  notifier: {
    order: [
      'persistence',
      'dead-letters',
      'routing',
      'schedule',
      'sync',
      'findings',
      'templates',
      'maintenance',
      'notifications',
      'use-cases',
      EDGE,
    ],
    compositionRoots: ['app.module.ts', 'main.ts'],
  },
  'device-gateway': {
    order: [
      'persistence',
      'metrics',
      'shared',
      'secrets',
      'devices',
      'auth',
      'ingest',
      'use-cases',
      'openapi',
      EDGE,
    ],
    compositionRoots: ['app.module.ts', 'gateway-core.module.ts', 'main.ts'],
  },
  console: {
    order: ['persistence', 'api', 'auth', 'session', 'export', EDGE],
    compositionRoots: ['app.module.ts', 'main.ts'],
  },
};

describe('every app depends one way', () => {
  it.each(Object.keys(RULES))(
    '%s: no folder imports a later one, and nothing imports the composition root',
    (app) => {
      const edges = importsOf(sourceFilesOf(join(__dirname, '../../apps', app, 'src')));
      // the scan reads the app: its folders import each other
      expect(edges.filter((e) => e.from.includes('/') && e.to.includes('/')).length).toBeGreaterThan(20);
      expect(layerViolations(edges, RULES[app])).toEqual([]);
    },
  );

  it('catches a later folder, a folder of the same rank, an unplaced folder and the composition root', () => {
    const rule: LayerRule = {
      order: ['store', 'core', 'use-cases', ['http', 'messaging']],
      compositionRoots: ['app.module.ts'],
    };
    const files = new Map([
      ['store/a.repository.ts', "import { X } from '../core/x';"],
      ['core/x.ts', "import { A } from '../store/a.repository';\nimport { C } from '../app.config';"],
      ['use-cases/u/u.use-case.ts', "import { schema } from '../../http/schemas';"],
      ['http/c.controller.ts', "import { U } from '../use-cases/u/u.use-case';"],
      ['http/c.view.ts', "import { M } from '../messaging/m';"],
      ['messaging/m.ts', "export { AppModule } from '../app.module';"],
      ['core/core.module.ts', "import { C } from '../http/c.controller';"],
      ['core/core.controller.ts', "import { U } from '../use-cases/u/u.use-case';"],
      ['core/y.service.ts', "import { U } from '../use-cases/u/u.use-case';"],
      ['extra/e.ts', "import { A } from '../store/a.repository';"],
    ]);
    expect(layerViolations(importsOf(files), rule)).toEqual([
      'core/y.service.ts → use-cases/u/u.use-case',
      'http/c.view.ts → messaging/m',
      'messaging/m.ts → app.module',
      'store/a.repository.ts → core/x',
      'unplaced: extra',
      'use-cases/u/u.use-case.ts → http/schemas',
    ]);
  });
});
