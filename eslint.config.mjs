// Lint rules we hold the code to: promises are awaited or explicitly voided, no import cycles, apps never import
// each other and libs never import apps.
import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const APPS = readdirSync(new URL('./apps', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

// Checked on the resolved file, so a relative path (`../../sandbox/src`) is caught as surely as an alias.
const LAYER_ZONES = [
  { target: './libs', from: './apps', message: 'Libs never import apps (move the code into a lib).' },
  ...APPS.map((app) => ({
    target: `./apps/${app}`,
    from: './apps',
    except: [`./${app}`],
    message: 'Apps never import each other (share the code through a lib).',
  })),
];

// Error codes come from one enum per module (`SyncErrorCode` in apps/sync/src/sync-error-codes.ts, `PlatformErrorCode` in
// libs/platform/src/platform-error-codes.ts...), never a string typed at the throw: a code is on the wire, and a typo in
// a free string would be a new code. Tests may still build and assert strings.
const ERROR_CODE_ENUMS = {
  'apps/console': ['ConsoleErrorCode', 'apps/console/src/console-error-codes.ts'],
  'apps/device-gateway': ['GatewayErrorCode', 'apps/device-gateway/src/gateway-error-codes.ts'],
  'apps/notifier': ['NotifierErrorCode', 'apps/notifier/src/notifier-error-codes.ts'],
  'apps/reconcile': ['ReconcileErrorCode', 'apps/reconcile/src/reconcile-error-codes.ts'],
  'apps/sync': ['SyncErrorCode', 'apps/sync/src/sync-error-codes.ts'],
  'libs/notifications': ['NotificationsErrorCode', 'libs/notifications/src/notifications-error-codes.ts'],
  'libs/observability': ['ObservabilityErrorCode', 'libs/observability/src/observability-error-codes.ts'],
  'libs/platform': ['PlatformErrorCode', 'libs/platform/src/platform-error-codes.ts'],
};
const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.sweep-spec.ts', '**/test/**'];
const literalErrorCode = (message) => [
  'error',
  { selector: "NewExpression[callee.name='AppError'][arguments.0.type=/^(Literal|TemplateLiteral)$/]", message },
];
const ERROR_CODE_RULES = [
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-syntax': literalErrorCode(
        "AppError's code comes from the module's error-code enum: add it to `<Module>ErrorCode` in src/<module>-error-codes.ts (exported from a lib's index) and throw `<Module>ErrorCode.NAME`.",
      ),
    },
  },
  ...Object.entries(ERROR_CODE_ENUMS).map(([module, [name, file]]) => ({
    files: [`${module}/**/*.ts`],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-syntax': literalErrorCode(
        `AppError's code comes from ${name} (${file}): add the code there and throw \`${name}.NAME\`.`,
      ),
    },
  })),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', '**/*.js', '**/*.mjs', 'deploy/**'] },
  ...tseslint.configs.recommended,
  {
    // the console's web app (apps/console/web) is TSX with its own tsconfig, found by the project service
    files: ['**/*.ts', 'apps/console/web/**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      'import-x/internal-regex': '^@lib/',
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'import-x/no-cycle': ['error', { maxDepth: 10, ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: LAYER_ZONES }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**', 'apps/*'], message: 'Apps never import each other; libs never import apps.' }] },
      ],
    },
  },
  ...ERROR_CODE_RULES,
);
