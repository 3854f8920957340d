// Structure of deploy/docker-compose.yml and deploy/docker/Dockerfile. There is no Docker engine where the tests run,
// so this reads the files the way Compose and BuildKit would and checks what would otherwise only fail at deploy time.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const repoRoot = resolve(__dirname, '..', '..');
const deployDir = join(repoRoot, 'deploy');
const APPS = ['device-gateway', 'sync', 'reconcile', 'notifier'] as const;
const INFRA = ['kafka', 'postgres'] as const;
/** The finance console's backend-for-frontend: PostgreSQL and the four services, no Kafka; listens on CONSOLE_PORT. */
const CONSOLE = 'console';
/** The console's variable naming each service's URL. */
const UPSTREAM_VARS: Record<(typeof APPS)[number], string> = {
  'device-gateway': 'GATEWAY_URL',
  sync: 'SYNC_URL',
  reconcile: 'RECONCILE_URL',
  notifier: 'NOTIFIER_URL',
};

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string; args?: Env };
  environment?: Env | string[];
  ports?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string[] | string; interval?: string; retries?: number; disable?: boolean };
  profiles?: string[];
  volumes?: string[];
  init?: boolean;
}

/** Compose interpolation with nothing set in the environment: `${VAR:-default}` → default, `${VAR}` → ''. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g,
    (_, _name: string, fallback?: string) => fallback ?? '',
  );
}

function envOf(service: Service): Env {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
  return Object.fromEntries(env.map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)]));
}

/** "127.0.0.1:${X:-3000}:3000" → { host: '127.0.0.1', hostPort: 3000, containerPort: 3000 } */
function parsePort(mapping: string) {
  const parts = interpolate(mapping).split(':');
  const containerPort = Number(parts.at(-1));
  const hostPort = Number(parts.at(-2) ?? containerPort);
  const host = parts.length === 3 ? parts[0] : '0.0.0.0';
  return { host, hostPort, containerPort };
}

function dockerfileStages(text: string) {
  // Join continuation lines, drop comments: one instruction per entry.
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
  const stages: { from: string; name?: string; instructions: string[] }[] = [];
  for (const line of instructions) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1], name: from[2], instructions: [] });
    else stages.at(-1)?.instructions.push(line);
  }
  return { instructions, stages };
}

const composeText = readFileSync(join(deployDir, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as {
  services: Record<string, Service>;
  volumes?: object;
};
const services = compose.services;
const dockerfileText = readFileSync(join(deployDir, 'docker', 'Dockerfile'), 'utf8');

describe('deploy/docker-compose.yml', () => {
  it('declares kafka, postgres, the four services, the console and the sandbox, and nothing else', () => {
    expect(Object.keys(services).sort()).toEqual([...INFRA, ...APPS, CONSOLE, 'sandbox'].sort());
  });

  it('runs Kafka as a single KRaft node (broker + controller, no ZooKeeper) that the apps can reach', () => {
    const kafka = services.kafka;
    const env = envOf(kafka);
    expect(kafka.image).toMatch(
      /^\$\{KAFKA_IMAGE:-apache\/kafka:\d+\.\d+\.\d+\}$|^apache\/kafka:\d+\.\d+\.\d+$/,
    );
    expect(env.KAFKA_PROCESS_ROLES.split(',').sort()).toEqual(['broker', 'controller']);
    expect(env.KAFKA_NODE_ID).toBe('1');
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`1@kafka:9093`);
    expect(env.KAFKA_CONTROLLER_LISTENER_NAMES).toBe('CONTROLLER');
    expect(env.KAFKA_LISTENERS).toContain('CONTROLLER://:9093');
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Object.keys(env).filter((k) => /ZOOKEEPER/i.test(k))).toEqual([]);
    expect(Object.keys(services).filter((s) => /zookeeper/i.test(s))).toEqual([]);
    // Every listener in the protocol map, and the apps' bootstrap address is an advertised listener.
    const protocols = Object.fromEntries(
      env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP.split(',').map((p) => p.split(':')),
    );
    for (const listener of env.KAFKA_LISTENERS.split(','))
      expect(protocols).toHaveProperty(listener.split(':')[0]);
    expect(interpolate(env.KAFKA_ADVERTISED_LISTENERS).split(',')).toContain('PLAINTEXT://kafka:9092');
    expect(env.KAFKA_INTER_BROKER_LISTENER_NAME).toBe('PLAINTEXT');
    // One node: internal topics with replication factor 1, and topics are provisioned by the apps.
    expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR).toBe('1');
    expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    // Data on a named volume, at the directory the broker writes to.
    expect(kafka.volumes).toContain(`kafka-data:${env.KAFKA_LOG_DIRS}`);
    expect(compose.volumes).toHaveProperty('kafka-data');
    expect(kafka.healthcheck?.test).toBeDefined();
  });

  it('runs PostgreSQL 15 with an init script that creates every service schema', () => {
    const postgres = services.postgres;
    expect(interpolate(postgres.image ?? '')).toMatch(/^postgres:15(\.|-|$)/);
    expect(envOf(postgres).POSTGRES_DB).toBe('invoice_sync');
    const init = (postgres.volumes ?? []).find((v) => v.includes('/docker-entrypoint-initdb.d'));
    expect(init).toBeDefined();
    const initDir = resolve(deployDir, (init as string).split(':')[0]);
    const sql = readFileSync(join(initDir, '10-schemas.sql'), 'utf8');
    const created = [...sql.matchAll(/CREATE SCHEMA IF NOT EXISTS (\w+);/g)].map((m) => m[1]).sort();
    // The same schemas deploy/postgres/ensure.sh creates on a developer machine.
    const ensure = readFileSync(join(deployDir, 'postgres', 'ensure.sh'), 'utf8');
    const defaults = /DB_SCHEMAS:-([a-z_ ]+)\}/.exec(ensure)?.[1].split(' ').sort();
    expect(created).toEqual(defaults);
    expect(created).toEqual(['gateway', 'notifier', 'reconcile', 'sync']);
    expect(postgres.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(String(postgres.healthcheck?.test)).toContain('pg_isready');
  });

  describe.each(APPS)('service %s', (app) => {
    const service = services[app];
    const env = envOf(service);

    it('is built from the shared Dockerfile with APP set to its name (and not the sandbox switch)', () => {
      const context = resolve(deployDir, service.build?.context ?? '.');
      expect(context).toBe(repoRoot);
      expect(existsSync(join(context, service.build?.dockerfile ?? 'Dockerfile'))).toBe(true);
      expect(service.build?.args).toEqual({ APP: app });
      expect(service.profiles).toBeUndefined();
    });

    it('gets PORT, DATABASE_URL and KAFKA_BROKERS pointing at the compose services', () => {
      expect(env.PORT).toMatch(/^\d+$/);
      const db = new URL(interpolate(env.DATABASE_URL));
      expect(db.protocol).toBe('postgres:');
      expect(db.hostname).toBe('postgres');
      expect(db.pathname).toBe(`/${envOf(services.postgres).POSTGRES_DB}`);
      expect(env.KAFKA_BROKERS.split(',')).toEqual(['kafka:9092']);
      expect(env.KAFKA_CLIENT_ID).toBe(app);
    });

    it('publishes its PORT on the loopback interface only', () => {
      expect(service.ports).toHaveLength(1);
      const port = parsePort(service.ports?.[0] ?? '');
      expect(port.containerPort).toBe(Number(env.PORT));
      expect(port.host).toBe('127.0.0.1');
    });

    it('starts only when Kafka and PostgreSQL are healthy, and has a health check', () => {
      expect(service.depends_on).toEqual({
        kafka: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
      });
      for (const dependency of INFRA) expect(services[dependency].healthcheck?.test).toBeDefined();
      expect(service.healthcheck?.disable).toBeFalsy();
      expect(service.healthcheck?.test).toEqual(['CMD', 'node', '/app/healthcheck.js']);
      expect(service.init).toBe(true);
    });
  });

  describe('the console', () => {
    const service = services[CONSOLE];
    const env = envOf(service);

    it('is built from the shared Dockerfile with APP=console', () => {
      expect(resolve(deployDir, service.build?.context ?? '.')).toBe(repoRoot);
      expect(service.build?.args).toEqual({ APP: CONSOLE });
      expect(service.image?.split(':')[0]).toBe('invoice-sync/console');
      expect(service.profiles).toBeUndefined();
    });

    it('listens on CONSOLE_PORT, published on the loopback interface only, and has a health check', () => {
      expect(env.CONSOLE_PORT).toMatch(/^\d+$/);
      expect(env.PORT).toBeUndefined();
      expect(service.ports).toHaveLength(1);
      const port = parsePort(service.ports?.[0] ?? '');
      expect(port).toMatchObject({ host: '127.0.0.1', containerPort: Number(env.CONSOLE_PORT) });
      expect(service.healthcheck?.test).toEqual(['CMD', 'node', '/app/healthcheck.js']);
      expect(service.init).toBe(true);
    });

    it('keeps its sessions in the compose PostgreSQL, needs no Kafka, and calls the four services at their ports', () => {
      const db = new URL(interpolate(env.DATABASE_URL));
      expect(db.hostname).toBe('postgres');
      expect(db.pathname).toBe(`/${envOf(services.postgres).POSTGRES_DB}`);
      expect(service.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
      expect(Object.keys(env).filter((k) => k.startsWith('KAFKA_'))).toEqual([]);
      for (const app of APPS) {
        const url = new URL(env[UPSTREAM_VARS[app]]);
        expect(`${url.hostname}:${url.port}`).toBe(`${app}:${envOf(services[app]).PORT}`);
      }
    });

    it('takes the IdP and its secrets from the environment, and the services trust the same audience', () => {
      for (const name of ['OIDC_ISSUER', 'OIDC_CLIENT_SECRET', 'CONSOLE_SESSION_KEY'])
        expect(env[name]).toBe(`\${${name}:-}`);
      expect(interpolate(env.CONSOLE_PUBLIC_URL)).toBe(`http://127.0.0.1:${env.CONSOLE_PORT}`);
      for (const app of APPS) {
        expect(envOf(services[app]).AUTH_ISSUER).toBe('${AUTH_ISSUER:-}');
        expect(envOf(services[app]).AUTH_AUDIENCE).toBe(env.AUTH_AUDIENCE);
      }
      // Alerts link to the console as people reach it.
      expect(envOf(services.notifier).NOTIFIER_CONSOLE_URL).toBe(env.CONSOLE_PUBLIC_URL);
    });
  });

  it('gives each service its own port', () => {
    const ports = APPS.map((s) => envOf(services[s]).PORT);
    expect(new Set(ports).size).toBe(ports.length);
    const hostPorts = Object.values(services).flatMap((s) =>
      (s.ports ?? []).map((p) => parsePort(p).hostPort),
    );
    expect(hostPorts.every((p) => Number.isInteger(p) && p > 0)).toBe(true);
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });

  it("points reconcile at the gateway's admin API (guided device resets), at the gateway's container port", () => {
    const url = new URL(envOf(services.reconcile).RECONCILE_GATEWAY_URL);
    expect(url.hostname).toBe('device-gateway');
    expect(url.port).toBe(envOf(services['device-gateway']).PORT);
    expect(readFileSync(join(repoRoot, 'apps', 'reconcile', 'src', 'reconcile.config.ts'), 'utf8')).toContain(
      'RECONCILE_GATEWAY_URL:',
    );
  });

  it("takes sync's token keys from the environment, with no default key", () => {
    const env = envOf(services.sync);
    expect(env.SYNC_MASTER_KEYS).toBe('${SYNC_MASTER_KEYS:-}');
    expect(env.SYNC_ACTIVE_KEY_ID).toBe('${SYNC_ACTIVE_KEY_ID:-}');
    const config = readFileSync(join(repoRoot, 'apps', 'sync', 'src', 'sync.config.ts'), 'utf8');
    for (const name of ['SYNC_MASTER_KEYS:', 'SYNC_ACTIVE_KEY_ID:']) expect(config).toContain(name);
  });

  it('keeps the sandbox behind its profile, built with the sandbox switch, and nothing depends on it', () => {
    const sandbox = services.sandbox;
    expect(sandbox.profiles).toEqual(['sandbox']);
    expect(sandbox.build?.args).toEqual({ APP: 'sandbox', ALLOW_SANDBOX: '1' });
    // The simulator refuses NODE_ENV=production (the image default) and must listen beyond the container's loopback.
    const env = envOf(sandbox);
    expect(env.NODE_ENV).not.toBe('production');
    expect(env.SANDBOX_HOST).toBe('0.0.0.0');
    expect(env.HEALTHCHECK_PORT).toBe(env.SANDBOX_CONTROL_PORT);
    const published = (sandbox.ports ?? []).map((p) => parsePort(p).containerPort);
    for (const [key, value] of Object.entries(env)) {
      if (/^SANDBOX_[A-Z]+_PORT$/.test(key)) expect(published).toContain(Number(value));
    }
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'sandbox') expect(service.profiles).toBeUndefined();
      const deps = Array.isArray(service.depends_on)
        ? service.depends_on
        : Object.keys(service.depends_on ?? {});
      expect(deps).not.toContain('sandbox');
    }
  });

  it('hard-codes no secret: passwords, tokens and keys are interpolated, defaults only obvious dev values', () => {
    const devDefaults = new Set(['', 'postgres']);
    const offenders: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(envOf(service))) {
        if (/PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE/i.test(key)) {
          const m = /^\$\{[A-Z0-9_]+(?::?-([^}]*))?\}$/.exec(value);
          if (!m || !devDefaults.has(m[1] ?? '')) offenders.push(`${name}.${key}`);
        }
        // Credentials inside URLs must be interpolated too.
        const url = /^[a-z]+:\/\/([^@/]+)@/.exec(value);
        const userinfo = url?.[1] ?? '';
        const password = userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : undefined;
        if (password !== undefined && !/^\$\{[A-Z0-9_]+(?::?-(postgres)?)?\}$/.test(password)) {
          offenders.push(`${name}.${key} (password in URL)`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('deploy/docker/Dockerfile', () => {
  const { stages } = dockerfileStages(dockerfileText);
  const runtime = stages.at(-1);

  it('is multi-stage: a build stage, a production-dependencies stage and a runtime stage on node 24 (LTS) bookworm slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(dockerfileText).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    for (const stage of stages) expect(stage.from).toBe('${NODE_IMAGE}');
    const build = stages.find((s) => s.instructions.some((i) => /^RUN npm run build/.test(i)));
    expect(build?.instructions).toContainEqual(expect.stringMatching(/^RUN npm ci\b/));
    expect(build?.instructions.some((i) => /^ARG APP\b/.test(i))).toBe(false); // shared by all services
    const deps = stages.find((s) => s.instructions.some((i) => /^RUN npm ci .*--omit=dev/.test(i)));
    expect(deps?.name).toBeDefined();
    expect(runtime?.instructions).toContain(`COPY --from=${deps?.name} /app/node_modules ./node_modules`);
    expect(runtime?.instructions).toContain(`COPY --from=${build?.name} /app/dist ./dist`);
  });

  it('runs as a non-root user, with an exec-form CMD', () => {
    const users = (runtime?.instructions ?? [])
      .filter((i) => /^USER\s/.test(i))
      .map((i) => i.split(/\s+/)[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:.*)?$/);
    const cmd = (runtime?.instructions ?? []).filter((i) => /^CMD\s/.test(i)).at(-1) ?? '';
    expect(JSON.parse(cmd.replace(/^CMD\s+/, ''))).toEqual(['node', 'main.js']);
    expect(runtime?.instructions.findIndex((i) => /^USER\s/.test(i))).toBeLessThan(
      runtime?.instructions.findIndex((i) => /^CMD\s/.test(i)) ?? -1,
    );
    expect(runtime?.instructions).toContainEqual(expect.stringMatching(/^HEALTHCHECK .*healthcheck\.js/));
  });

  it('accepts the four services and the console as APP, and the sandbox only with ALLOW_SANDBOX=1', () => {
    const check = (runtime?.instructions ?? []).find((i) => /^RUN case "\$\{APP\}"/.test(i));
    expect(check).toBeDefined();
    const script = (check as string).replace(/^RUN\s+/, '');
    const exitCode = (app: string, allowSandbox = '0') =>
      spawnSync('sh', ['-c', script], { env: { APP: app, ALLOW_SANDBOX: allowSandbox }, encoding: 'utf8' })
        .status;
    for (const app of [...APPS, CONSOLE]) expect(exitCode(app)).toBe(0);
    expect(exitCode('sandbox')).not.toBe(0);
    expect(exitCode('sandbox', '1')).toBe(0);
    expect(exitCode('')).not.toBe(0);
    expect(exitCode('../sync')).not.toBe(0);
    expect(exitCode('gateway')).not.toBe(0);
  });

  it('starts dist/apps/${APP}/src/main.js, the path `npm run build` produces', () => {
    expect(runtime?.instructions).toContainEqual(expect.stringContaining(`dist/apps/%s/src/main.js`));
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Env };
    for (const app of [...APPS, CONSOLE])
      expect(pkg.scripts[`start:${app}`]).toBe(`node dist/apps/${app}/src/main.js`);
  });

  it('ships the console its web bundle: dist/console-web, where `npm run build` writes it and the console reads it', () => {
    expect(runtime?.instructions).toContainEqual(
      expect.stringContaining('test -f dist/console-web/index.html'),
    );
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Env };
    expect(pkg.scripts.build).toContain('apps/console/web/build.mjs');
    expect(readFileSync(join(repoRoot, 'apps', 'console', 'web', 'build.mjs'), 'utf8')).toContain(
      "join(root, 'dist', 'console-web')",
    );
    expect(readFileSync(join(repoRoot, 'apps', 'console', 'src', 'console.config.ts'), 'utf8')).toContain(
      "CONSOLE_WEB_DIR: envString('dist/console-web')",
    );
  });

  it('has a BuildKit ignore file beside it that keeps the caches and secrets out of the context', () => {
    const ignore = readFileSync(join(deployDir, 'docker', 'Dockerfile.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '.cache', 'dist', '.env', '.git'])
      expect(ignore).toContain(entry);
  });

  it('health check script probes /healthz and /readyz on PORT by default', () => {
    const script = readFileSync(join(deployDir, 'docker', 'healthcheck.js'), 'utf8');
    expect(script).toContain("'/healthz,/readyz'");
    expect(script).toContain('process.env.PORT');
    expect(runtime?.instructions).toContain('COPY deploy/docker/healthcheck.js ./healthcheck.js');
  });

  it('health check script probes the console on CONSOLE_PORT (default 3004), as the console listens', async () => {
    const hits: string[] = [];
    const server = createServer((request, response) => {
      hits.push(request.url ?? '');
      response.end('ok');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    const run = (env: Env) =>
      new Promise<number | null>((done) => {
        spawn(process.execPath, [join(deployDir, 'docker', 'healthcheck.js')], { env, stdio: 'ignore' }).on(
          'exit',
          done,
        );
      });
    try {
      expect(await run({ APP: 'console', PORT: '1', CONSOLE_PORT: String(port) })).toBe(0);
      expect(hits).toEqual(['/healthz', '/readyz']);
      expect(await run({ APP: 'sync', PORT: '1', CONSOLE_PORT: String(port) })).not.toBe(0);
    } finally {
      server.close();
    }
    expect(readFileSync(join(repoRoot, 'apps', 'console', 'src', 'console.config.ts'), 'utf8')).toContain(
      'CONSOLE_PORT: envInt(3004,',
    );
  });
});
