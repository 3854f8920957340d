// Structure of the Helm chart in deploy/helm/invoice-sync. There is no helm binary and no cluster where the tests run,
// so `helm template` cannot render it here; this reads Chart.yaml and values.yaml as YAML, reads the templates as text
// (their Go-template blocks parsed just enough to know what a `kind:` line is nested in), and checks what would
// otherwise only fail at deploy time: every service gets its objects, probes hit the real endpoints on the container's
// port, every variable the chart sets is one the services read, and no secret has a default.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { providerEnvShape, targetRegistry } from '@lib/providers';

const repoRoot = resolve(__dirname, '..', '..');
const chartDir = join(repoRoot, 'deploy', 'helm', 'invoice-sync');
const APPS = ['device-gateway', 'sync', 'reconcile', 'notifier'] as const;
type AppName = (typeof APPS)[number];
/** The finance console's backend-for-frontend: deployed like a service, but no Kafka and its own configuration. */
const CONSOLE = 'console';
const DEPLOYED = [...APPS, CONSOLE] as const;

/** Variables whose values are credentials: they belong in the Secret, never in a ConfigMap or a default. */
// `_ROBOTS`: the notifier's group robots by name, with their webhook keys, tokens and signing secrets (JSON).
const SECRET_VAR =
  /^DATABASE_URL$|_(TOKEN|SECRET|PASSWORD|MASTER_KEYS|APP_KEY|APP_ID|USERNAME|USER|ACCESS_KEY_ID|SESSION_KEY|ROBOTS)$/;

interface SecretEnv {
  name: string;
  key?: string;
  optional?: boolean;
}
interface AppValues {
  enabled: boolean;
  port: number;
  dbSchema: string;
  replicaCount: number;
  autoscaling: {
    enabled: boolean;
    minReplicas: number;
    maxReplicas: number;
    targetCPUUtilizationPercentage: number;
  };
  podDisruptionBudget: { enabled: boolean; maxUnavailable?: number; minAvailable?: number };
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  env: Record<string, string>;
  secretEnv: SecretEnv[];
  providers: boolean;
  /** NODE_OPTIONS of the service's container, when set. */
  nodeOptions?: string;
  ingress?: {
    enabled: boolean;
    hosts: { host: string; paths: { path: string }[] }[];
    tls: unknown[];
  };
}
interface Values {
  image: { repository: string; registry: string; tag: string };
  kafka: Record<string, unknown>;
  secret: { existingSecret: string; values: Record<string, unknown> };
  providers: { env: Record<string, string>; secretEnv: SecretEnv[] };
  podSecurityContext: Record<string, unknown>;
  securityContext: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  metrics: { serviceMonitor: { enabled: boolean } };
  ingress: { enabled: boolean; hosts: { host: string; paths: { path: string }[] }[] };
  auth: Record<string, string | number>;
  apps: Record<string, AppValues>;
}

const read = (...parts: string[]) => readFileSync(join(repoRoot, ...parts), 'utf8');
const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
const valuesText = readFileSync(join(chartDir, 'values.yaml'), 'utf8');
const values = parse(valuesText) as Values;
const templatesDir = join(chartDir, 'templates');
const templates = Object.fromEntries(
  readdirSync(templatesDir).map((file) => [file, readFileSync(join(templatesDir, file), 'utf8')]),
);

// ---- what the services read, from their config schemas (keys of the zod objects) ----

const ENV_KEY = /^\s+([A-Z][A-Z0-9_]*):\s/gm;
const keysOf = (source: string) => new Set([...source.matchAll(ENV_KEY)].map((m) => m[1]));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

// The services' schema spreads the AUTH_* shape (libs/platform/src/auth/auth.config.ts).
const authVars = keysOf(read('libs', 'platform', 'src', 'auth', 'auth.config.ts'));
const baseVars = new Set([
  ...keysOf(read('libs', 'common', 'src', 'config', 'base-config.ts')),
  ...keysOf(read('libs', 'platform', 'src', 'service-config.ts')),
  ...authVars,
]);

/** The console's variables: its own schema, which shares only the AUTH_* claim settings with the services. */
const consoleSource = read('apps', 'console', 'src', 'console.config.ts');
const consoleVars = keysOf(consoleSource);

// The targets' variables (AUTHORITY_*, BAIWANG_*, NUONUO_*: base URL, credentials, timeouts, breakers) are declared by
// each target's definition in the registry (libs/providers/src/registry), so they are read from the shape it builds.
const providerVars = new Set(Object.keys(providerEnvShape));
/** Sync's in-flight limit per registered target, SYNC_CONCURRENCY_<PREFIX> (apps/sync/src/sync.config.ts). */
const syncConcurrencyVars = targetRegistry.all().map((t) => `SYNC_CONCURRENCY_${t.envPrefix}`);

/** The inbox pruner's variables, read by every service that consumes Kafka through KafkaInboxServer. */
const inboxPrunerFile = join(repoRoot, 'libs', 'messaging', 'src', 'inbox', 'inbox-pruner.ts');
const inboxVars = existsSync(inboxPrunerFile)
  ? keysOf(readFileSync(inboxPrunerFile, 'utf8'))
  : new Set<string>();

/** Each service's config file (apps/<app>/src/**\/*.config.ts): its own variables and its default schema. */
function serviceConfig(app: AppName) {
  const files = filesUnder(join(repoRoot, 'apps', app, 'src')).filter(
    (f) => f.endsWith('.config.ts') && !f.endsWith('.spec.ts'),
  );
  if (files.length !== 1)
    throw new Error(`expected one config file in apps/${app}/src, found ${files.length}`);
  const source = readFileSync(files[0], 'utf8');
  const usesProviders = source.includes('...providerEnvShape');
  const own = keysOf(source);
  const consumes = read('apps', app, 'src', 'main.ts').includes('consumerGroup:');
  const vars = new Set([
    ...baseVars,
    ...own,
    ...(app === 'sync' ? syncConcurrencyVars : []),
    ...(usesProviders ? providerVars : []),
    ...(consumes ? inboxVars : []),
  ]);
  const schema = /serviceEnvSchema\('([a-z_]+)'\)/.exec(source)?.[1];
  return { vars, own, usesProviders, schema };
}

// ---- templates: Go-template blocks, just enough structure to know what encloses a line ----

interface Block {
  action: string;
}

/** For each line, the stack of open blocks (define/if/range/with) around it. Throws on unbalanced blocks. */
function blockStacks(text: string): { line: string; stack: Block[] }[] {
  const out: { line: string; stack: Block[] }[] = [];
  const stack: Block[] = [];
  for (const line of text.split('\n')) {
    out.push({ line, stack: [...stack] });
    for (const [, raw] of line.matchAll(/\{\{-?\s*(.*?)\s*-?\}\}/g)) {
      const action = raw.replace(/^\/\*.*\*\/$/, '').trim();
      if (/^(if|range|with|define)\b/.test(action)) stack.push({ action });
      else if (/^end\b/.test(action)) {
        if (!stack.pop()) throw new Error(`unbalanced {{ end }}: ${line.trim()}`);
      }
    }
  }
  if (stack.length > 0) throw new Error(`unclosed blocks: ${stack.map((b) => b.action).join(', ')}`);
  return out;
}

/** The enclosing blocks of the one `kind: <kind>` line of a template. */
function enclosingKind(file: string, kind: string): string[] {
  const lines = blockStacks(templates[file]).filter(({ line }) => line.trim() === `kind: ${kind}`);
  expect(lines).toHaveLength(1);
  return lines[0].stack.map((b) => b.action);
}

/** The lines indented under the first line matching `header` (a YAML block in a template). */
function blockUnder(text: string, header: RegExp): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => header.test(l));
  if (start < 0) return [];
  const indent = (l: string) => l.length - l.trimStart().length;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && indent(line) <= indent(lines[start])) break;
    body.push(line.trim());
  }
  return body;
}

const RANGE_APPS = 'range $name, $app := .Values.apps';

describe('deploy/helm/invoice-sync: Chart.yaml and values.yaml', () => {
  it('reads the variable names from the services’ sources (so the checks below are not vacuous)', () => {
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'DATABASE_POOL_SIZE',
      'KAFKA_BROKERS',
      'KAFKA_PARTITIONS',
      'DB_SCHEMA',
    ])
      expect(baseVars).toContain(name);
    for (const name of [
      'AUTHORITY_BASE_URL',
      'AUTHORITY_TIMEOUT_MS',
      'NUONUO_BREAKER_WINDOW_MS',
      'BAIWANG_PASSWORD',
    ])
      expect(providerVars).toContain(name);
    expect(serviceConfig('device-gateway').own).toContain('GATEWAY_MASTER_KEYS');
    expect(serviceConfig('sync').own).toContain('SYNC_DEFAULT_PLATFORMS');
    expect(serviceConfig('sync').own).toContain('SYNC_MASTER_KEYS');
    expect(serviceConfig('sync').vars).toContain('SYNC_CONCURRENCY_NUONUO');
    expect(serviceConfig('reconcile').own).toContain('RECONCILE_API_TOKEN');
    expect(serviceConfig('notifier').own).toContain('NOTIFIER_SMS_ACCESS_KEY_SECRET');
    for (const name of ['NOTIFIER_WECOM_ROBOTS', 'NOTIFIER_DINGTALK_ROBOTS', 'NOTIFIER_FEISHU_ROBOTS'])
      expect(serviceConfig('notifier').own).toContain(name);
    for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_ROLES_CLAIM']) expect(baseVars).toContain(name);
    for (const name of [
      'CONSOLE_PORT',
      'OIDC_ISSUER',
      'OIDC_CLIENT_SECRET',
      'CONSOLE_SESSION_KEY',
      'GATEWAY_URL',
    ])
      expect(consoleVars).toContain(name);
    expect(consoleVars).not.toContain('AUTH_ISSUER');
  });

  it('is a Helm 3 application chart whose appVersion is the services’ version', () => {
    expect(chart.apiVersion).toBe('v2');
    expect(chart.name).toBe('invoice-sync');
    expect(chart.type).toBe('application');
    expect(String(chart.version)).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    const pkg = JSON.parse(read('package.json')) as { version: string };
    expect(String(chart.appVersion)).toBe(pkg.version);
  });

  it('deploys exactly the four services and the console, never the sandbox, each on its own port and its own schema', () => {
    expect(Object.keys(values.apps).sort()).toEqual([...DEPLOYED].sort());
    const ports = DEPLOYED.map((app) => values.apps[app].port);
    expect(ports.every((p) => Number.isInteger(p) && p > 0 && p < 65536)).toBe(true);
    expect(new Set(ports).size).toBe(DEPLOYED.length);
    for (const app of DEPLOYED) expect(values.apps[app].enabled).toBe(true);
    for (const app of APPS) expect(values.apps[app].dbSchema).toBe(serviceConfig(app).schema);
    expect(consoleSource).toContain(`DB_SCHEMA: envString('${values.apps.console.dbSchema}')`);
    expect(consoleSource).toContain(`CONSOLE_PORT: envInt(${values.apps.console.port},`);
    // The chart refuses any other name, the sandbox included.
    expect(templates['_helpers.tpl']).toMatch(
      /define "invoice-sync\.checkApp"[\s\S]*has \.name \(list "device-gateway" "sync" "reconcile" "notifier" "console"\)[\s\S]*fail/,
    );
  });

  it('sets requests and limits for every service and the console, and autoscaling bounds that make sense', () => {
    for (const app of DEPLOYED) {
      const { resources, autoscaling, podDisruptionBudget } = values.apps[app];
      for (const part of ['requests', 'limits'] as const)
        for (const resource of ['cpu', 'memory']) expect(resources[part]?.[resource]).toBeTruthy();
      expect(autoscaling.enabled).toBe(true);
      expect(autoscaling.minReplicas).toBeGreaterThanOrEqual(1);
      expect(autoscaling.maxReplicas).toBeGreaterThanOrEqual(autoscaling.minReplicas);
      expect(autoscaling.targetCPUUtilizationPercentage).toBeGreaterThan(0);
      expect(podDisruptionBudget.enabled).toBe(true);
    }
    // Operators are told that consumers beyond the partition count idle.
    const prose = valuesText.replace(/\n\s*#\s?/g, ' ');
    expect(prose).toMatch(/replicas beyond the partition count[^.]*idle/);
  });

  it('has no secret in its defaults', () => {
    expect(values.secret.existingSecret).toBe('');
    expect(values.secret.values).toEqual({});
    const offenders: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${path}[${i}]`));
      else if (node && typeof node === 'object')
        for (const [key, value] of Object.entries(node)) {
          if (SECRET_VAR.test(key) && value !== '' && value !== null) offenders.push(`${path}.${key}`);
          walk(value, `${path}.${key}`);
        }
      else if (typeof node === 'string') {
        if (/:\/\/[^/@\s:]+:[^/@\s]+@/.test(node)) offenders.push(`${path} (password in a URL)`);
        if (/(^|,)\s*[\w-]+:[A-Za-z0-9+/]{43}=/.test(node)) offenders.push(`${path} (key material)`);
      }
    };
    walk(values, 'values');
    expect(offenders).toEqual([]);
  });

  it('runs as non-root on a read-only root filesystem, without privilege escalation', () => {
    expect(values.podSecurityContext.runAsNonRoot).toBe(true);
    expect(values.podSecurityContext.runAsUser).not.toBe(0);
    expect(values.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(values.securityContext.capabilities?.drop).toContain('ALL');
    const deployment = templates['deployment.yaml'];
    expect(deployment).toContain('toYaml ($app.podSecurityContext | default $.Values.podSecurityContext)');
    expect(deployment).toContain('toYaml ($app.securityContext | default $.Values.securityContext)');
  });
});

describe('deploy/helm/invoice-sync: templates', () => {
  it('has balanced template blocks in every file', () => {
    for (const [file, text] of Object.entries(templates)) {
      expect(() => blockStacks(text)).not.toThrow();
      expect(`${file}: ${(text.match(/\{\{/g) ?? []).length}`).toBe(
        `${file}: ${(text.match(/\}\}/g) ?? []).length}`,
      );
    }
  });

  it.each([
    ['deployment.yaml', 'Deployment', 'apps/v1', 'if $app.enabled'],
    ['service.yaml', 'Service', 'v1', 'if $app.enabled'],
    ['configmap.yaml', 'ConfigMap', 'v1', 'if $app.enabled'],
    [
      'hpa.yaml',
      'HorizontalPodAutoscaler',
      'autoscaling/v2',
      'if and $app.enabled $app.autoscaling $app.autoscaling.enabled',
    ],
    [
      'pdb.yaml',
      'PodDisruptionBudget',
      'policy/v1',
      'if and $app.enabled $app.podDisruptionBudget $app.podDisruptionBudget.enabled',
    ],
  ])(
    '%s renders one %s per service in values (range over .Values.apps, no other condition)',
    (file, kind, api, guard) => {
      expect(enclosingKind(file, kind)).toEqual([RANGE_APPS, guard]);
      expect(templates[file]).toContain(`apiVersion: ${api}\nkind: ${kind}\n`);
      expect(templates[file]).toContain('include "invoice-sync.checkApp" (dict "name" $name)');
      // Named per service, so the objects of two services never collide.
      expect(templates[file]).toMatch(
        /name: \{\{ (include "invoice-sync\.appFullname" \$ctx|\$fullname|include "invoice-sync\.appFullname" \(dict "root" \$ "name" \$name\)) \}\}/,
      );
    },
  );

  it('points the HPA at the service’s Deployment and scales on CPU', () => {
    const hpa = blockUnder(templates['hpa.yaml'], /^\s*scaleTargetRef:/);
    expect(hpa).toEqual([
      'apiVersion: apps/v1',
      'kind: Deployment',
      'name: {{ include "invoice-sync.appFullname" $ctx }}',
    ]);
    expect(templates['hpa.yaml']).toMatch(
      /name: cpu\s+target:\s+type: Utilization\s+averageUtilization: \{\{ \$app\.autoscaling\.targetCPUUtilizationPercentage \}\}/,
    );
    expect(templates['hpa.yaml']).toContain('minReplicas: {{ $app.autoscaling.minReplicas }}');
    expect(templates['hpa.yaml']).toContain('maxReplicas: {{ $app.autoscaling.maxReplicas }}');
    // The HPA owns the replica count when it is on.
    expect(
      blockStacks(templates['deployment.yaml'])
        .find((l) => l.line.includes('replicas:'))
        ?.stack.at(-1)?.action,
    ).toBe('if not (and $app.autoscaling $app.autoscaling.enabled)');
  });

  it('probes /healthz (liveness, startup) and /readyz (readiness) on the container port the service listens on', () => {
    const deployment = templates['deployment.yaml'];
    expect(blockUnder(deployment, /^\s*livenessProbe:/).slice(0, 3)).toEqual([
      'httpGet:',
      'path: /healthz',
      'port: http',
    ]);
    expect(blockUnder(deployment, /^\s*startupProbe:/).slice(0, 3)).toEqual([
      'httpGet:',
      'path: /healthz',
      'port: http',
    ]);
    expect(blockUnder(deployment, /^\s*readinessProbe:/).slice(0, 3)).toEqual([
      'httpGet:',
      'path: /readyz',
      'port: http',
    ]);
    expect(blockUnder(deployment, /^\s*ports:/)).toEqual([
      '- name: http',
      'containerPort: {{ $app.port }}',
      'protocol: TCP',
    ]);
    // The service listens on PORT, which its ConfigMap sets from the same value.
    expect(templates['configmap.yaml']).toContain('PORT: {{ $app.port | quote }}');
    expect(deployment).toMatch(/envFrom:\s+- configMapRef:\s+name: \{\{ \$fullname \}\}/);
    expect(templates['service.yaml']).toMatch(/port: \{\{ \$app\.port \}\}\s+targetPort: http/);
    // The services really serve these paths.
    const health = read('libs', 'observability', 'src', 'health', 'health.controller.ts');
    expect(health).toContain("@Get('healthz')");
    expect(health).toContain("@Get('readyz')");
    expect(read('libs', 'observability', 'src', 'metrics', 'metrics.controller.ts')).toContain(
      "@Get('metrics')",
    );
  });

  it('takes resources from values and requires them', () => {
    expect(blockUnder(templates['deployment.yaml'], /^\s*resources:/)).toEqual([
      '{{- toYaml (required (printf "apps.%s.resources is required" $name) $app.resources) | nindent 12 }}',
    ]);
  });

  it('runs the image deploy/docker/Dockerfile builds for each service (APP=<service>)', () => {
    expect(templates['deployment.yaml']).toContain('image: {{ include "invoice-sync.image" $ctx | quote }}');
    expect(templates['_helpers.tpl']).toContain('$repository := printf "%s/%s" $image.repository .name');
    // The names docker-compose.yml gives the same images.
    const compose = parse(read('deploy', 'docker-compose.yml'), { merge: true }) as {
      services: Record<string, { image?: string; build?: { args?: Record<string, string> } }>;
    };
    for (const app of DEPLOYED) {
      expect(compose.services[app].build?.args?.APP).toBe(app);
      expect(compose.services[app].image?.split(':')[0]).toBe(`${values.image.repository}/${app}`);
    }
    // The Dockerfile's own APP check accepts every service the chart deploys, and refuses the sandbox.
    const dockerfile = read('deploy', 'docker', 'Dockerfile').replace(/\\\n/g, ' ');
    const check = /^RUN (case "\$\{APP\}".*esac)$/m.exec(dockerfile)?.[1];
    expect(check).toBeDefined();
    const exitCode = (app: string) =>
      spawnSync('sh', ['-c', check as string], { env: { APP: app, ALLOW_SANDBOX: '0' } }).status;
    for (const app of Object.keys(values.apps)) expect(exitCode(app)).toBe(0);
    expect(exitCode('sandbox')).not.toBe(0);
  });
});

describe('deploy/helm/invoice-sync: environment', () => {
  /** The literal keys of the ConfigMap template: for everyone, for the services only (`if not $console`), for the console only. */
  const configMapLines = blockStacks(templates['configmap.yaml'])
    .map(({ line, stack }) => ({
      key: /^ {2}([A-Z][A-Z0-9_]*):/.exec(line)?.[1],
      stack: stack.map((b) => b.action),
    }))
    .filter((l): l is { key: string; stack: string[] } => l.key !== undefined);
  const keysWhere = (test: (stack: string[]) => boolean) =>
    configMapLines.filter((l) => test(l.stack)).map((l) => l.key);
  const commonKeys = keysWhere(
    (stack) => !stack.includes('if $console') && !stack.includes('if not $console'),
  );
  const serviceKeys = [...commonKeys, ...keysWhere((stack) => stack.includes('if not $console'))];
  const consoleKeys = [...commonKeys, ...keysWhere((stack) => stack.includes('if $console'))];

  it('sets in every service’s ConfigMap only variables every service reads, and the basics each needs', () => {
    expect(serviceKeys.filter((k) => !baseVars.has(k))).toEqual([]);
    for (const needed of [
      'PORT',
      'DB_SCHEMA',
      'KAFKA_BROKERS',
      'KAFKA_TOPIC_PREFIX',
      'KAFKA_PARTITIONS',
      'DATABASE_POOL_SIZE',
      'AUTH_ISSUER',
      'AUTH_AUDIENCE',
    ])
      expect(serviceKeys).toContain(needed);
    // Variables set literally anywhere else in the templates (env entries) must be read too.
    const literal = Object.values(templates).flatMap((t) =>
      [...t.matchAll(/^\s*- name: ([A-Z][A-Z0-9_]*)\s*$/gm)].map((m) => m[1]),
    );
    // (NODE_OPTIONS is Node's own, set from apps.<service>.nodeOptions)
    expect(literal.filter((k) => !baseVars.has(k) && k !== 'NODE_OPTIONS')).toEqual([]);
  });

  it('sets in the console’s ConfigMap only what it reads: CONSOLE_PORT, no Kafka, the four services’ in-cluster URLs', () => {
    expect(consoleKeys.filter((k) => !consoleVars.has(k))).toEqual([]);
    expect(consoleKeys).toContain('CONSOLE_PORT');
    expect(consoleKeys).not.toContain('PORT');
    expect(consoleKeys.filter((k) => k.startsWith('KAFKA_'))).toEqual([]);
    const upstreams =
      /dict ("device-gateway" "[A-Z_]+" "sync" "[A-Z_]+" "reconcile" "[A-Z_]+" "notifier" "[A-Z_]+")/.exec(
        templates['configmap.yaml'],
      )?.[1];
    expect(upstreams).toBeDefined();
    const pairs = [...(upstreams as string).matchAll(/"([a-z-]+)" "([A-Z_]+)"/g)].map((m) => [m[1], m[2]]);
    expect(pairs.map(([app]) => app).sort()).toEqual([...APPS].sort());
    for (const [, variable] of pairs) expect(consoleVars).toContain(variable);
    // http://<release>-<service>:<port>, the service's Service name and port.
    expect(templates['configmap.yaml']).toContain(
      'printf "http://%s:%v" (include "invoice-sync.appFullname" (dict "root" $ "name" $service)) $upstream.port',
    );
  });

  it('makes the services trust the IdP people sign in at: auth.issuer and auth.audience for services and console alike', () => {
    expect(values.auth.issuer).toBe('');
    expect(values.auth.audience).toBe('urn:invoice-sync:api');
    expect(read('libs', 'platform', 'src', 'auth', 'auth.config.ts')).toContain(
      `AUTH_AUDIENCE: envString('${values.auth.audience}')`,
    );
    expect(consoleSource).toContain(`AUTH_AUDIENCE: envString('${values.auth.audience}')`);
    const configMap = templates['configmap.yaml'];
    expect(configMap).toMatch(
      /\{\{- with \$\.Values\.auth\.issuer \}\}\s+AUTH_ISSUER: \{\{ \. \| quote \}\}/,
    );
    expect(commonKeys).toContain('AUTH_AUDIENCE');
    // The console signs people in at the same issuer unless its own OIDC_ISSUER names it otherwise.
    expect(configMap).toContain('set $env "OIDC_ISSUER" ($.Values.auth.issuer | default "")');
    expect(values.apps.console.env.OIDC_ISSUER).toBe('');
  });

  describe.each(APPS)('service %s', (app) => {
    const config = serviceConfig(app);
    const settings = values.apps[app];
    const secretEntries = [...settings.secretEnv, ...(settings.providers ? values.providers.secretEnv : [])];
    const plainEntries = { ...(settings.providers ? values.providers.env : {}), ...settings.env };

    it('gets the provider settings exactly when its config reads them', () => {
      expect(settings.providers).toBe(config.usesProviders);
    });

    it('sets only variables this service reads, secrets only through the Secret', () => {
      expect(Object.keys(plainEntries).filter((k) => !config.vars.has(k))).toEqual([]);
      expect(secretEntries.map((e) => e.name).filter((k) => !config.vars.has(k))).toEqual([]);
      expect([...serviceKeys, ...Object.keys(plainEntries)].filter((k) => SECRET_VAR.test(k))).toEqual([]);
      expect(secretEntries.map((e) => e.name).filter((k) => !SECRET_VAR.test(k))).toEqual([]);
      expect(Object.values(plainEntries).every((v) => typeof v === 'string')).toBe(true);
    });

    it('can be given every credential it reads, and cannot start without DATABASE_URL', () => {
      const wanted = [...config.vars].filter((k) => SECRET_VAR.test(k)).sort();
      expect(secretEntries.map((e) => e.name).sort()).toEqual(wanted);
      expect(secretEntries.find((e) => e.name === 'DATABASE_URL')).toMatchObject({ optional: false });
    });
  });

  it('gives sync its token keys from the Secret (required: it does not start without them in production)', () => {
    const sync = values.apps.sync;
    expect(sync.secretEnv.find((e) => e.name === 'SYNC_MASTER_KEYS')).toMatchObject({ optional: false });
    expect(sync.env.SYNC_ACTIVE_KEY_ID).toBe('');
    expect(serviceConfig('sync').own).toContain('SYNC_ACTIVE_KEY_ID');
  });

  describe('the console', () => {
    const settings = values.apps[CONSOLE];
    const plain = settings.env;

    it('sets only variables the console reads, secrets only through the Secret, and none of the providers’', () => {
      expect(settings.providers).toBe(false);
      expect(consoleKeys.filter((k) => SECRET_VAR.test(k))).toEqual([]);
      expect(Object.keys(plain).filter((k) => !consoleVars.has(k))).toEqual([]);
      expect(Object.keys(plain).filter((k) => SECRET_VAR.test(k))).toEqual([]);
      expect(Object.values(plain).every((v) => typeof v === 'string')).toBe(true);
      expect(settings.secretEnv.map((e) => e.name).filter((k) => !consoleVars.has(k))).toEqual([]);
    });

    it('gets every credential it reads from the Secret, and cannot start without the client secret or session key', () => {
      const wanted = [...consoleVars].filter((k) => SECRET_VAR.test(k)).sort();
      expect(wanted).toEqual(['CONSOLE_SESSION_KEY', 'DATABASE_URL', 'METRICS_TOKEN', 'OIDC_CLIENT_SECRET']);
      expect(settings.secretEnv.map((e) => e.name).sort()).toEqual(wanted);
      for (const name of ['DATABASE_URL', 'OIDC_CLIENT_SECRET', 'CONSOLE_SESSION_KEY'])
        expect(settings.secretEnv.find((e) => e.name === name)).toMatchObject({ optional: false });
    });

    it('sends its session cookie over https only and trusts the ingress in front', () => {
      expect(plain.CONSOLE_COOKIE_SECURE).toBe('true');
      expect(plain.CONSOLE_TRUST_PROXY_HOPS).toBe('1');
      expect(consoleSource).toMatch(/CONSOLE_COOKIE_SECURE: envString\(''\)/);
    });

    it('gives the notifier the console’s public URL for its links, and the deprecated link base is gone', () => {
      expect(values.apps.notifier.env).toHaveProperty('NOTIFIER_CONSOLE_URL');
      expect(values.apps.notifier.env).not.toHaveProperty('NOTIFIER_FINDING_URL_BASE');
      expect(valuesText).not.toContain('NOTIFIER_FINDING_URL_BASE');
      expect(templates['configmap.yaml']).toContain(
        'set $env "NOTIFIER_CONSOLE_URL" (get ($consoleApp.env | default dict) "CONSOLE_PUBLIC_URL")',
      );
    });
  });

  it("gives reconcile the gateway's in-cluster URL for guided device resets unless its values set one", () => {
    expect(values.apps.reconcile.env).toHaveProperty('RECONCILE_GATEWAY_URL', '');
    expect(serviceConfig('reconcile').own).toContain('RECONCILE_GATEWAY_URL');
    const configMap = templates['configmap.yaml'];
    expect(configMap).toContain(
      '{{- if and (eq $name "reconcile") (not (get $env "RECONCILE_GATEWAY_URL")) $gatewayApp.enabled }}',
    );
    expect(configMap).toContain(
      'set $env "RECONCILE_GATEWAY_URL" (printf "http://%s:%v" (include "invoice-sync.appFullname" (dict "root" $ "name" "device-gateway")) $gatewayApp.port)',
    );
  });

  it('bounds the heap of reconcile (its benchmark figure depends on it) through NODE_OPTIONS, and of no other service', () => {
    expect(values.apps.reconcile.nodeOptions).toMatch(/^--max-old-space-size=\d+$/);
    for (const app of DEPLOYED.filter((a) => a !== 'reconcile'))
      expect(values.apps[app].nodeOptions).toBeUndefined();
    expect(templates['deployment.yaml']).toMatch(
      /\{\{- with \$app\.nodeOptions \}\}[\s\S]*?- name: NODE_OPTIONS\s+value: \{\{ \. \| quote \}\}\s+\{\{- end \}\}/,
    );
  });

  it('reads the Secret key by key (optional unless said otherwise), from the chart’s Secret or an existing one', () => {
    const helper = blockUnder(templates['_helpers.tpl'], /^- name: \{\{ \.name \}\}/);
    expect(helper).toEqual([
      'valueFrom:',
      'secretKeyRef:',
      'name: {{ $secretName }}',
      'key: {{ .key | default .name }}',
      'optional: {{ ternary .optional true (hasKey . "optional") }}',
    ]);
    expect(templates['_helpers.tpl']).toContain('.Values.secret.existingSecret');
    expect(enclosingKind('secret.yaml', 'Secret')).toEqual(['if not .Values.secret.existingSecret']);
    expect(templates['deployment.yaml']).toContain('include "invoice-sync.secretEnv" $ctx');
  });
});

describe('deploy/helm/invoice-sync: optional objects', () => {
  it('has a ServiceMonitor for every service’s /metrics, off by default', () => {
    expect(values.metrics.serviceMonitor.enabled).toBe(false);
    expect(enclosingKind('servicemonitor.yaml', 'ServiceMonitor')).toEqual([
      'if .Values.metrics.serviceMonitor.enabled',
      RANGE_APPS,
      'if $app.enabled',
    ]);
    expect(blockUnder(templates['servicemonitor.yaml'], /^\s*endpoints:/).slice(0, 2)).toEqual([
      '- port: http',
      'path: /metrics',
    ]);
  });

  it('has an Ingress for the gateway only, off by default, exposing device endpoints and not the admin API', () => {
    expect(values.ingress.enabled).toBe(false);
    expect(templates['ingress.yaml']).toContain('$app := index .Values.apps "device-gateway"');
    expect(templates['ingress.yaml']).not.toContain('range $name');
    const paths = values.ingress.hosts.flatMap((h) => h.paths.map((p) => p.path));
    expect(paths.sort()).toEqual(['/v1/devices', '/v1/invoices']);
    // The routes the gateway serves to devices.
    const gateway = join(repoRoot, 'apps', 'device-gateway', 'src', 'ingest');
    expect(readFileSync(join(gateway, 'invoices.controller.ts'), 'utf8')).toContain(
      "@Controller('v1/invoices')",
    );
    expect(readFileSync(join(gateway, 'device-events.controller.ts'), 'utf8')).toContain(
      "@Controller('v1/devices/:deviceId')",
    );
  });

  it('has an Ingress example for the console, off by default, serving the whole host to the console’s Service', () => {
    const ingress = values.apps.console.ingress;
    expect(ingress?.enabled).toBe(false);
    expect(ingress?.hosts.flatMap((h) => h.paths.map((p) => p.path))).toEqual(['/']);
    expect(enclosingKind('console-ingress.yaml', 'Ingress')).toEqual([
      'if and $app $app.enabled $app.ingress $app.ingress.enabled',
    ]);
    expect(templates['console-ingress.yaml']).toContain('$app := index .Values.apps "console"');
    expect(templates['console-ingress.yaml']).toMatch(/name: \{\{ \$fullname \}\}\s+port:\s+name: http/);
    // The TLS example, commented out in values.
    expect(valuesText).toMatch(/#\s+- secretName: console-tls/);
  });

  it('ships nothing for the sandbox', () => {
    expect(Object.keys(templates).filter((f) => /sandbox/i.test(f))).toEqual([]);
    expect(existsSync(join(chartDir, 'charts'))).toBe(false);
  });
});
