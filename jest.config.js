// Seven projects: unit (no I/O), integration (real PostgreSQL + Kafka, one service at a time),
// e2e (whole flows across apps and the sandbox), browser (the console in Chromium), sweep (the whole system's month as of a dozen dates),
// faults (the whole system while infrastructure fails), cluster (the whole system on a three-node Kafka cluster losing a node).
// NestJS 12 ships ESM only; Node runs it through require(esm), but jest has its own module loader, so
// @nestjs/* is transpiled to CommonJS by swc.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const moduleNameMapper = {
  '^@lib/([a-z-]+)$': '<rootDir>/libs/$1/src',
};

const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|oidc-provider|jose|openid-client|oauth4webapi|koa|@koa|quick-lru|nanoid|eta)/)'],
  moduleNameMapper,
  rootDir: __dirname,
  setupFiles: ['<rootDir>/test/setup-env.js'],
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test,bench}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      globalSetup: '<rootDir>/test/integration-setup.js',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
      slowTestThreshold: 30,
    },
    {
      ...base,
      displayName: 'e2e',
      globalSetup: '<rootDir>/test/integration-setup.js',
      testMatch: ['<rootDir>/{apps,test}/**/*.e2e-spec.ts'],
    },
    {
      // The whole system as of a dozen dates, a few at a time: run alone, after the others (scripts/test.sh).
      ...base,
      displayName: 'sweep',
      globalSetup: '<rootDir>/test/integration-setup.js',
      testMatch: ['<rootDir>/test/sweep/**/*.sweep-spec.ts'],
    },
    {
      // Kills and restarts infrastructure: run alone, after the others (scripts/test.sh).
      ...base,
      displayName: 'faults',
      globalSetup: '<rootDir>/test/integration-setup.js',
      testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
    },
    {
      // The finance console in a real Chromium (Debian's package, scripts/ensure-chromium.sh) against the whole system.
      ...base,
      displayName: 'browser',
      globalSetup: '<rootDir>/test/integration-setup.js',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
    },
    {
      // Kills nodes of its own three-node Kafka cluster (deploy/kafka/kafka.sh cluster): run alone, not by `npm test`
      // but by `npm run test:cluster`, CI's step after it (.ci/run).
      ...base,
      displayName: 'cluster',
      globalSetup: '<rootDir>/test/cluster/cluster-setup.js',
      globalTeardown: '<rootDir>/test/cluster/cluster-teardown.js',
      testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'],
    },
  ],
};
