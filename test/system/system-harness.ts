// Runs the whole system as separate processes, the way it runs in production: the sandbox (standing in for the
// authority, Baiwang, Nuonuo, SMS and SMTP) and the four services, each with its own schema, all on one Kafka topic
// prefix. The demo, the end-to-end suite and the fault suite share it; tests SIGKILL and restart services through it.
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Clock, clockFromOffset } from '@lib/common';
import { pollUntil, scrapeMetric } from '@lib/testing';
import { freePort } from '../support/free-port';
import { SandboxClient } from './sandbox-client';

export const SERVICES = ['device-gateway', 'sync', 'reconcile', 'notifier'] as const;
export type ServiceName = (typeof SERVICES)[number];
/** A second (third...) process of a service: `sync#2`. Same schema, same consumer groups, a port of its own. */
export type ReplicaName = `${ServiceName}#${number}`;
type ProcessName = ServiceName | ReplicaName | 'sandbox' | 'console';

const ROOT = resolve(__dirname, '../..');
const REGISTER = resolve(ROOT, 'test/support/ts-register.js');
const SANDBOX_PORTS = ['control', 'authority', 'baiwang', 'nuonuo', 'sms', 'smtp'] as const;
type SandboxPort = (typeof SANDBOX_PORTS)[number];

export interface SystemOptions {
  /** `ts`: the sources through swc (tests); `dist`: the build (`npm run build`), as deployed (demo). */
  runtime: 'ts' | 'dist';
  databaseUrl: string;
  kafkaBrokers: string;
  /** Prefix of every topic and consumer group, and of the services' schemas (`<prefix>_sync`...). */
  scope: string;
  logDir: string;
  /** Fixed HTTP ports (demo); ephemeral when absent. */
  servicePorts?: Partial<Record<ServiceName, number>>;
  sandboxPorts?: Partial<Record<SandboxPort, number>>;
  sandboxSeed?: string;
  partitions?: number;
  /** Extra variables per service (tuning for a scenario). */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  logLevel?: string;
  /**
   * Plays the whole system as of another instant: every process's clock reads the system time plus this
   * (CLOCK_OFFSET_MS), so they agree with each other and with `clock`. 0 (default): today.
   */
  clockOffsetMs?: number;
  /**
   * Also run the finance console (apps/console) against the sandbox's IdP; its web bundle must be built
   * (`npm run build` writes dist/console-web). Fixed port for the demo; ephemeral when absent.
   */
  console?: boolean;
  consolePort?: number;
}

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Credentials of this run: generated, never written anywhere but the children's environment. */
export interface SystemSecrets {
  gatewayAdminToken: string;
  syncAdminToken: string;
  reconcileApiToken: string;
  notifierAdminToken: string;
  consoleClientSecret: string;
  consoleSessionKey: string;
}

export class SystemHarness {
  readonly urls = {} as Record<ServiceName, string>;
  readonly sandboxUrls = {} as Record<SandboxPort, string>;
  readonly secrets: SystemSecrets = {
    gatewayAdminToken: token(),
    syncAdminToken: token(),
    reconcileApiToken: token(),
    notifierAdminToken: token(),
    consoleClientSecret: token(),
    consoleSessionKey: token(),
  };
  /** The console's base URL (when started with `console: true`). */
  consoleUrl = '';
  sandbox!: SandboxClient;
  /** The system's wall clock, as every process of it reads it: what devices sign with and the scenario plans by. */
  readonly clock: Clock;
  private readonly ports = {} as Record<ServiceName, number>;
  private consolePortNumber = 0;
  private readonly sbPorts = {} as Record<SandboxPort, number>;
  private readonly running = new Map<ProcessName, Running>();
  private readonly masterKey = randomBytes(32).toString('base64');
  /** Seals sync's platform tokens; kept across restarts of sync, as a deployment keeps it. */
  private readonly syncMasterKey = randomBytes(32).toString('base64');

  private constructor(readonly options: SystemOptions) {
    this.clock = clockFromOffset(options.clockOffsetMs ?? 0);
  }

  static async start(options: SystemOptions): Promise<SystemHarness> {
    const system = new SystemHarness(options);
    mkdirSync(options.logDir, { recursive: true });
    try {
      await system.allocatePorts();
      await system.startSandbox();
      await Promise.all(SERVICES.map((s) => system.startService(s)));
      if (options.console) await system.startConsole();
      return system;
    } catch (error) {
      await system.stop();
      throw error;
    }
  }

  schemaOf(service: ServiceName): string {
    return `${this.options.scope}_${service.replace('device-', '')}`.replace(/[^a-z0-9_]/g, '_');
  }

  get topicPrefix(): string {
    return `${this.options.scope}.`;
  }

  /** Starts (or restarts) one service and waits until it reports ready. */
  async startService(service: ServiceName): Promise<void> {
    const env = {
      ...this.baseEnv(service),
      ...this.serviceEnv(service),
      ...(this.options.env?.[service] ?? {}),
    };
    this.launch(service, this.entry(`apps/${service}/src/main`), env);
    await this.waitReady(service, `${this.urls[service]}/readyz`);
  }

  /** Base URLs of the extra replicas started with startReplica. */
  readonly replicaUrls = {} as Record<ReplicaName, string>;

  /**
   * Starts (or restarts) one more process of a service, `<service>#<n>` (n ≥ 2), on a port of its own, with the
   * service's environment otherwise: it shares the schema, the outbox (relay leadership) and the consumer groups.
   */
  async startReplica(service: ServiceName, n: number): Promise<ReplicaName> {
    const name: ReplicaName = `${service}#${n}`;
    const url = this.replicaUrls[name] ?? `http://127.0.0.1:${await freePort()}`;
    this.replicaUrls[name] = url;
    const env = {
      ...this.baseEnv(service),
      ...this.serviceEnv(service),
      ...(this.options.env?.[service] ?? {}),
      PORT: new URL(url).port,
    };
    this.launch(name, this.entry(`apps/${service}/src/main`), env);
    await this.waitReady(name, `${url}/readyz`);
    return name;
  }

  /** SIGSTOP: the process hangs (a long GC pause, a frozen VM) with its connections open; resume with SIGCONT. */
  pause(name: ProcessName): void {
    this.running.get(name)?.child.kill('SIGSTOP');
  }

  resume(name: ProcessName): void {
    this.running.get(name)?.child.kill('SIGCONT');
  }

  /** SIGKILL: no shutdown hooks, no flush; what a crash or an OOM kill does. */
  async kill(name: ProcessName): Promise<void> {
    const running = this.running.get(name);
    if (!running) return;
    running.child.kill('SIGKILL');
    await running.exited;
    this.running.delete(name);
  }

  /** SIGTERM and wait: a graceful stop (rolling deploy). */
  async stopService(name: ProcessName): Promise<number | null> {
    const running = this.running.get(name);
    if (!running) return null;
    running.child.kill('SIGCONT');
    running.child.kill('SIGTERM');
    const code = await running.exited;
    this.running.delete(name);
    return code;
  }

  isRunning(name: ProcessName): boolean {
    return this.running.has(name);
  }

  /** The IdP the sandbox runs (OIDC issuer): people sign in there, services trust its keys. */
  get idpIssuer(): string {
    return `${this.sandboxUrls.control}/idp`;
  }

  /** Starts (or restarts) the console and waits until it reports ready. */
  async startConsole(): Promise<void> {
    this.launch('console', this.entry('apps/console/src/main'), {
      NODE_ENV: 'development',
      CONSOLE_PORT: String(this.consolePortNumber),
      HTTP_HOST: '127.0.0.1',
      CONSOLE_PUBLIC_URL: this.consoleUrl,
      DATABASE_URL: this.options.databaseUrl,
      DB_SCHEMA: `${this.options.scope}_console`.replace(/[^a-z0-9_]/g, '_'),
      OIDC_ISSUER: this.idpIssuer,
      OIDC_CLIENT_ID: 'invoice-console',
      OIDC_CLIENT_SECRET: this.secrets.consoleClientSecret,
      CONSOLE_SESSION_KEY: this.secrets.consoleSessionKey,
      RECONCILE_URL: this.urls.reconcile,
      GATEWAY_URL: this.urls['device-gateway'],
      SYNC_URL: this.urls.sync,
      NOTIFIER_URL: this.urls.notifier,
      LOG_LEVEL: this.options.logLevel ?? 'info',
      CLOCK_OFFSET_MS: String(this.options.clockOffsetMs ?? 0),
    });
    await this.waitReady('console', `${this.consoleUrl}/healthz`);
  }

  async stop(): Promise<void> {
    await this.stopService('console');
    for (const replica of Object.keys(this.replicaUrls) as ReplicaName[]) {
      this.resume(replica);
      await this.stopService(replica);
    }
    for (const service of [...SERVICES].reverse()) await this.stopService(service);
    await this.stopService('sandbox');
  }

  /** A Prometheus sample of a service's /metrics, summed over the series that match every given label. */
  metric(service: ServiceName, name: string, labels: Record<string, string> = {}): Promise<number> {
    return scrapeMetric(this.urls[service], name, labels);
  }

  private async allocatePorts(): Promise<void> {
    for (const service of SERVICES) {
      this.ports[service] = this.options.servicePorts?.[service] ?? (await freePort());
      this.urls[service] = `http://127.0.0.1:${this.ports[service]}`;
    }
    for (const port of SANDBOX_PORTS) {
      this.sbPorts[port] = this.options.sandboxPorts?.[port] ?? (await freePort());
      this.sandboxUrls[port] = `http://127.0.0.1:${this.sbPorts[port]}`;
    }
    this.sandbox = new SandboxClient(this.sandboxUrls.control);
    if (this.options.console) {
      this.consolePortNumber = this.options.consolePort ?? (await freePort());
      this.consoleUrl = `http://127.0.0.1:${this.consolePortNumber}`;
    }
  }

  private async startSandbox(): Promise<void> {
    const p = this.sbPorts;
    this.launch('sandbox', this.entry('apps/sandbox/src/main'), {
      SANDBOX_HOST: '127.0.0.1',
      SANDBOX_CONTROL_PORT: String(p.control),
      SANDBOX_AUTHORITY_PORT: String(p.authority),
      SANDBOX_BAIWANG_PORT: String(p.baiwang),
      SANDBOX_NUONUO_PORT: String(p.nuonuo),
      SANDBOX_SMS_PORT: String(p.sms),
      SANDBOX_SMTP_PORT: String(p.smtp),
      SANDBOX_SEED: this.options.sandboxSeed ?? this.options.scope,
      LOG_LEVEL: this.options.logLevel ?? 'warn',
      CLOCK_OFFSET_MS: String(this.options.clockOffsetMs ?? 0),
      SANDBOX_PUBLIC_URL: this.sandboxUrls.control,
      SANDBOX_IDP_CLIENT_ID: 'invoice-console',
      SANDBOX_IDP_CLIENT_SECRET: this.secrets.consoleClientSecret,
      ...(this.consoleUrl
        ? {
            SANDBOX_IDP_REDIRECT_URIS: `${this.consoleUrl}/auth/callback`,
            SANDBOX_IDP_POST_LOGOUT_REDIRECT_URIS: `${this.consoleUrl}/`,
          }
        : {}),
    });
    await this.waitReady('sandbox', `${this.sandboxUrls.control}/__sandbox/health`);
  }

  private baseEnv(service: ServiceName): Record<string, string> {
    return {
      NODE_ENV: 'development',
      PORT: String(this.ports[service]),
      HTTP_HOST: '127.0.0.1',
      DATABASE_URL: this.options.databaseUrl,
      DB_SCHEMA: this.schemaOf(service),
      KAFKA_BROKERS: this.options.kafkaBrokers,
      KAFKA_TOPIC_PREFIX: this.topicPrefix,
      KAFKA_PARTITIONS: String(this.options.partitions ?? 3),
      LOG_LEVEL: this.options.logLevel ?? 'info',
      CLOCK_OFFSET_MS: String(this.options.clockOffsetMs ?? 0),
      AUTH_ISSUER: this.idpIssuer,
    };
  }

  /** Each service pointed at the sandbox with the sandbox's development credentials. */
  private serviceEnv(service: ServiceName): Record<string, string> {
    const targets = {
      AUTHORITY_BASE_URL: this.sandboxUrls.authority,
      AUTHORITY_APP_ID: 'sandbox-authority-app',
      AUTHORITY_APP_SECRET: 'sandbox-authority-secret',
    };
    switch (service) {
      case 'device-gateway':
        return {
          GATEWAY_ADMIN_TOKEN: this.secrets.gatewayAdminToken,
          GATEWAY_MASTER_KEYS: `k1:${this.masterKey}`,
        };
      case 'sync':
        return {
          ...targets,
          SYNC_ADMIN_TOKEN: this.secrets.syncAdminToken,
          SYNC_MASTER_KEYS: `k1:${this.syncMasterKey}`,
          BAIWANG_BASE_URL: this.sandboxUrls.baiwang,
          BAIWANG_APP_KEY: 'sandbox-baiwang-key',
          BAIWANG_APP_SECRET: 'sandbox-baiwang-secret',
          BAIWANG_USERNAME: 'sandbox',
          BAIWANG_PASSWORD: 'sandbox-pass',
          NUONUO_BASE_URL: this.sandboxUrls.nuonuo,
          NUONUO_APP_KEY: 'sandbox-nuonuo-key',
          NUONUO_APP_SECRET: 'sandbox-nuonuo-secret',
        };
      case 'reconcile':
        return {
          ...targets,
          RECONCILE_API_TOKEN: this.secrets.reconcileApiToken,
          // guided device resets call the gateway's admin API with the person's token
          RECONCILE_GATEWAY_URL: this.urls['device-gateway'],
        };
      case 'notifier':
        return {
          NOTIFIER_ADMIN_TOKEN: this.secrets.notifierAdminToken,
          NOTIFIER_SMTP_HOST: '127.0.0.1',
          NOTIFIER_SMTP_PORT: String(this.sbPorts.smtp),
          NOTIFIER_SMS_ENDPOINT: `${this.sandboxUrls.sms}/`,
          // The sandbox's group robots (under /robots on its control port) and its development robot `finance`.
          NOTIFIER_WECOM_ENDPOINT: `${this.sandboxUrls.control}/robots`,
          NOTIFIER_WECOM_ROBOTS: JSON.stringify({ finance: { key: 'sandbox-wecom-key' } }),
          NOTIFIER_DINGTALK_ENDPOINT: `${this.sandboxUrls.control}/robots`,
          NOTIFIER_DINGTALK_ROBOTS: JSON.stringify({
            finance: { accessToken: 'sandbox-dingtalk-token', secret: 'SECsandbox-dingtalk-secret' },
          }),
          NOTIFIER_FEISHU_ENDPOINT: `${this.sandboxUrls.control}/robots`,
          NOTIFIER_FEISHU_ROBOTS: JSON.stringify({
            finance: { token: 'sandbox-feishu-token', secret: 'sandbox-feishu-secret' },
          }),
          NOTIFIER_CONSOLE_URL: this.consoleUrl || 'http://127.0.0.1:3004',
        };
    }
  }

  private entry(path: string): string[] {
    return this.options.runtime === 'dist'
      ? [resolve(ROOT, 'dist', `${path}.js`)]
      : ['-r', REGISTER, resolve(ROOT, `${path}.ts`)];
  }

  private launch(name: ProcessName, args: string[], env: Record<string, string>): void {
    const log = createWriteStream(this.logPath(name), { flags: 'a' });
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const exited = new Promise<number | null>((done) =>
      child.once('exit', (code) => {
        log.write(`\n--- ${name} exited (code ${code}) ---\n`);
        done(code);
      }),
    );
    this.running.set(name, { child, exited });
  }

  /** Where a process's output goes: `<logDir>/<name>.log` (a replica `sync#2` as `sync-2.log`). */
  private logPath(name: ProcessName): string {
    return join(this.options.logDir, `${name.replace('#', '-')}.log`);
  }

  private async waitReady(name: ProcessName, url: string): Promise<void> {
    const running = this.running.get(name);
    // CI prints only the error: it carries the end of the process's log, which stays on the machine.
    const died = running!.exited.then(async (code) => {
      throw new Error(`${name} exited (code ${code}) during start. ${await this.logTail(name)}`);
    });
    const ready = pollUntil(
      () => fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status),
      (status) => status === 200,
      { timeoutMs: 90_000, intervalMs: 250, what: `${name} ready at ${url}` },
    ).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}. ${await this.logTail(name)}`, { cause: error });
    });
    died.catch(() => undefined);
    await Promise.race([ready, died]);
  }

  /** The last lines of a process's log, once what it wrote so far has reached the file. */
  private async logTail(name: ProcessName, lines = 30): Promise<string> {
    const path = this.logPath(name);
    await new Promise((resolve) => setTimeout(resolve, 200));
    try {
      const tail = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      return `The end of ${path}:\n${tail}`;
    } catch {
      return `(no log at ${path})`;
    }
  }
}

function token(): string {
  return randomBytes(24).toString('base64url');
}
