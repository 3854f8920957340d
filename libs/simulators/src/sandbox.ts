import { createServer, type RequestListener } from 'node:http';
import pino, { type Logger } from 'pino';
import { createAuthorityNonceGuard } from './authority/authority-auth.middleware';
import { createAuthorityApp } from './authority/authority.app';
import { AuthoritySimulator } from './authority/authority.simulator';
import { createBaiwangApp } from './baiwang/baiwang.app';
import { BaiwangDevicesService } from './baiwang/baiwang-devices.service';
import { BaiwangTokenStore } from './baiwang/baiwang-token.store';
import { BaiwangUploadsService } from './baiwang/baiwang-uploads.service';
import {
  resolveSettings,
  SANDBOX_PORT_NAMES,
  type SandboxOptions,
  type SandboxPortName,
} from './config/sandbox-options';
import { createSandboxControl, type SandboxControl } from './control/sandbox-control';
import { SandboxCounters } from './core/counters';
import { ManagedServer } from './core/managed-server';
import { SimClock } from './core/sim-clock';
import type { SandboxTarget } from './faults/fault.schema';
import { FaultInjector } from './faults/fault-injector';
import { SandboxIdp } from './idp/sandbox-idp';
import { createNuonuoApp } from './nuonuo/nuonuo.app';
import { NuonuoOrdersService } from './nuonuo/nuonuo-orders.service';
import { NuonuoTokenStore } from './nuonuo/nuonuo-token.store';
import { DingtalkRobotService } from './robots/dingtalk-robot.service';
import { FeishuRobotService } from './robots/feishu-robot.service';
import { createRobotsApp } from './robots/robots.app';
import { WecomRobotService } from './robots/wecom-robot.service';
import { createSmsApp } from './sms/sms.app';
import { SmsGatewayService } from './sms/sms-gateway.service';
import { SmtpSink } from './smtp/smtp-sink';

export interface RunningSandbox {
  host: string;
  seed: string;
  /** Simulated seconds per real second. */
  timeScale: number;
  ports: Record<SandboxPortName, number>;
  /** Base URLs of the HTTP simulators (no trailing slash). */
  urls: Record<Exclude<SandboxPortName, 'smtp'>, string>;
  smtp: { host: string; port: number; auth: { user: string; pass: string } | null };
  /**
   * The group robots (WeCom, DingTalk, Feishu) on one app: `url` is its own listener (the robots' base URL for every
   * platform); the sandbox process also serves `app` under `/robots` on its control port.
   */
  robots: { url: string; app: RequestListener };
  control: SandboxControl;
  /** The identity provider: `idp.mount(issuer)` gives the app to serve under `/idp` (apps/sandbox serves it). */
  idp: SandboxIdp;
  logger: Logger;
  close(): Promise<void>;
}

function httpServer(app: RequestListener, host: string): ManagedServer {
  const server = createServer(app);
  return new ManagedServer(server, host, () => server.closeAllConnections());
}

/**
 * Starts every simulator in-process, each on its own port (0 = ephemeral). All state is in memory; randomness
 * comes from the seed. Tests drive it through `control`; the sandbox process (apps/sandbox) serves the same
 * control over HTTP. Never used in production.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const seed = String(options.seed ?? 'sandbox');
  const logger =
    options.logger ?? pino({ name: 'sandbox', level: options.logLevel ?? process.env.LOG_LEVEL ?? 'info' });
  const settings = resolveSettings(options);
  const startMs = options.startTime === undefined ? undefined : new Date(options.startTime).getTime();
  // The simulated world's wall clock is the system's moved by clockOffsetMs (CLOCK_OFFSET_MS, as the services get
  // it): clients sign with it, so signature windows compare with it; business time starts from it unless startTime.
  const offsetMs = options.clockOffsetMs ?? 0;
  const clock = new SimClock(options.timeScale ?? 1, startMs, () => Date.now() + offsetMs);
  const faults = new FaultInjector(seed);
  const counters = new SandboxCounters();
  const authority = new AuthoritySimulator(clock, settings.authority);
  const nonces = createAuthorityNonceGuard();
  const baiwangTokens = new BaiwangTokenStore(clock, () => ({
    accessMs: settings.baiwang.accessTokenTtlMs,
    refreshMs: settings.baiwang.refreshTokenTtlMs,
  }));
  const baiwangUploads = new BaiwangUploadsService(authority, faults, counters, clock);
  const baiwangDevices = new BaiwangDevicesService(authority, clock, () => settings.baiwang);
  const baiwangMethodCalls = new Map<string, number>();
  const nuonuoTokens = new NuonuoTokenStore(clock, () => settings.nuonuo);
  const nuonuoOrders = new NuonuoOrdersService(authority, faults, counters, clock, () => settings.nuonuo);
  const sms = new SmsGatewayService(
    () => settings.sms,
    counters,
    () => clock.realNow(),
  );
  const smtp = new SmtpSink({
    host,
    auth: settings.smtpAuth,
    faults,
    counters,
    logger: logger.child({ target: 'smtp' }),
    now: () => clock.realNow(),
  });

  const realNow = (): number => clock.realNow();
  const robots = {
    wecom: new WecomRobotService(() => settings.robots.wecom, counters, realNow),
    dingtalk: new DingtalkRobotService(() => settings.robots.dingtalk, counters, realNow),
    feishu: new FeishuRobotService(() => settings.robots.feishu, counters, realNow),
  };

  const child = (target: string): Logger => logger.child({ target });
  const idp = new SandboxIdp(options.idp ?? {}, child('idp'));
  const apps = {
    authority: createAuthorityApp({
      simulator: authority,
      faults,
      counters,
      clock,
      nonces,
      logger: child('authority'),
      credentials: () => settings.authorityCredentials,
    }),
    baiwang: createBaiwangApp({
      apps: () => settings.baiwangApps,
      tokens: baiwangTokens,
      uploads: baiwangUploads,
      devices: baiwangDevices,
      methodCalls: baiwangMethodCalls,
      authority,
      faults,
      counters,
      clock,
      timestampWindowMs: settings.baiwang.timestampWindowMs,
      logger: child('baiwang'),
    }),
    nuonuo: createNuonuoApp({
      apps: () => settings.nuonuoApps,
      tokens: nuonuoTokens,
      orders: nuonuoOrders,
      faults,
      counters,
      clock,
      timestampWindowMs: settings.nuonuo.timestampWindowMs,
      logger: child('nuonuo'),
    }),
    sms: createSmsApp({ service: sms, faults, counters, logger: child('sms') }),
  };
  const robotsApp = createRobotsApp({ ...robots, faults, counters, logger: child('robots') });
  const robotsServer = httpServer(robotsApp, host);
  const control = createSandboxControl({
    seed,
    clock,
    faults,
    counters,
    authority,
    settings,
    sms,
    smtp,
    robots,
    idp,
    baiwang: { devices: baiwangDevices, methodCalls: baiwangMethodCalls },
    resets: [
      () => nonces.clear(),
      () => baiwangTokens.clear(),
      () => baiwangUploads.clear(),
      () => baiwangDevices.clear(),
      () => baiwangMethodCalls.clear(),
      () => nuonuoTokens.clear(),
      () => nuonuoOrders.clear(),
    ],
  });
  const ports = {} as Record<SandboxPortName, number>;
  const servers: Record<SandboxPortName, ManagedServer> = {
    authority: httpServer(apps.authority, host),
    baiwang: httpServer(apps.baiwang, host),
    nuonuo: httpServer(apps.nuonuo, host),
    sms: httpServer(apps.sms, host),
    smtp: smtp.listener,
  };

  let closing = false;
  let robotsPort = 0;
  faults.onRefuseChange((target: SandboxTarget, refusing: boolean) => {
    if (closing) return;
    // The robots share one app: a refusing robot answers a bare 503 there (see createRobotsApp) instead.
    if (!(target in servers)) return;
    const server = servers[target as SandboxPortName];
    logger.info(
      { target, refusing },
      refusing ? 'outage: refusing connections' : 'outage over: listening again',
    );
    (refusing ? server.pause() : server.resume()).catch((error: unknown) =>
      logger.error({ err: error, target }, 'outage switch failed'),
    );
  });

  try {
    for (const name of SANDBOX_PORT_NAMES)
      ports[name] = await servers[name].listen(options.ports?.[name] ?? 0);
    robotsPort = await robotsServer.listen(options.robotsPort ?? 0);
  } catch (error) {
    closing = true;
    await Promise.all([...Object.values(servers), robotsServer].map((s) => s.close()));
    throw error;
  }
  const url = (name: SandboxPortName): string =>
    `http://${host.includes(':') ? `[${host}]` : host}:${ports[name]}`;
  logger.info(
    { host, ports, seed, timeScale: clock.scale },
    'sandbox started (simulators only, never production)',
  );
  return {
    host,
    seed,
    timeScale: clock.scale,
    ports,
    urls: {
      authority: url('authority'),
      baiwang: url('baiwang'),
      nuonuo: url('nuonuo'),
      sms: url('sms'),
    },
    smtp: { host, port: ports.smtp, auth: settings.smtpAuth },
    robots: { url: `http://${host.includes(':') ? `[${host}]` : host}:${robotsPort}`, app: robotsApp },
    control,
    idp,
    logger,
    close: async () => {
      if (closing) return;
      closing = true;
      faults.clear();
      await Promise.all([...[...Object.values(servers), robotsServer].map((s) => s.close()), idp.close()]);
      logger.info('sandbox stopped');
    },
  };
}
