import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express from 'express';
import pino from 'pino';
import { ManualClock } from '@lib/common';
import { createHttpService } from '@lib/observability';
import { SandboxIdp, type IdpPersonSpec } from '@lib/simulators';
import { dropSchema, testDatabaseUrl, uniqueName } from '@lib/testing';
import { freePort } from '../../../../test/support/free-port';
import { ConsoleAppModule } from '../../src/app.module';
import { loadConsoleConfig } from '../../src/console.config';
import { consoleHttpOptions } from '../../src/http/console-http';
import { StandInServices } from './stand-in-services';

export const CLIENT = { client_id: 'console-int-test', client_secret: 'console-int-test-secret' };

/** The console in-process on a real PostgreSQL schema, the sandbox's IdP in-process, and stand-ins for the services. */
export class ConsoleHarness {
  readonly clock = new ManualClock(new Date());
  readonly services = new StandInServices();
  readonly schema = uniqueName('console_it').replace(/[^a-z0-9_]/g, '_');
  url = '';
  issuer = '';
  webDir = '';
  private app?: INestApplication;
  private idpServer?: Server;

  async start(people: IdpPersonSpec[], env: Record<string, string> = {}): Promise<void> {
    await this.services.start();
    const idpPort = await freePort();
    const consolePort = await freePort();
    this.url = `http://127.0.0.1:${consolePort}`;
    this.issuer = `http://127.0.0.1:${idpPort}/idp`;
    const idp = new SandboxIdp(
      {
        people,
        client: {
          ...CLIENT,
          redirect_uris: [`${this.url}/auth/callback`],
          post_logout_redirect_uris: [`${this.url}/`],
        },
      },
      pino({ level: 'silent' }),
    );
    const mounted = await idp.mount(this.issuer);
    const outer = express();
    outer.use('/idp', mounted.app);
    this.idpServer = createServer(outer);
    await new Promise<void>((resolve) => this.idpServer!.listen(idpPort, '127.0.0.1', resolve));

    this.webDir = mkdtempSync(join(tmpdir(), 'console-web-'));
    mkdirSync(join(this.webDir, 'assets'));
    writeFileSync(
      join(this.webDir, 'index.html'),
      '<!doctype html><title>console</title><script src="/assets/app.js"></script>',
    );
    writeFileSync(join(this.webDir, 'assets', 'app.js'), 'console.log("app")');

    const config = loadConsoleConfig({
      CONSOLE_PORT: String(consolePort),
      HTTP_HOST: '127.0.0.1',
      OIDC_ISSUER: this.issuer,
      OIDC_CLIENT_ID: CLIENT.client_id,
      OIDC_CLIENT_SECRET: CLIENT.client_secret,
      RECONCILE_URL: this.services.urls.reconcile,
      GATEWAY_URL: this.services.urls.gateway,
      SYNC_URL: this.services.urls.sync,
      NOTIFIER_URL: this.services.urls.notifier,
      DATABASE_URL: testDatabaseUrl(),
      DB_SCHEMA: this.schema,
      CONSOLE_WEB_DIR: this.webDir,
      CONSOLE_UPSTREAM_TIMEOUT_MS: '1000',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      ...env,
    });
    this.app = await createHttpService({
      module: ConsoleAppModule.forRoot(config, { clock: this.clock }) as never,
      ...consoleHttpOptions(config),
    });
    await this.app.listen(consolePort, '127.0.0.1');
  }

  async stop(): Promise<void> {
    await this.app?.close();
    if (this.idpServer) {
      this.idpServer.closeAllConnections();
      await new Promise<void>((resolve) => this.idpServer!.close(() => resolve()));
    }
    await this.services.close();
    await dropSchema(this.schema).catch(() => undefined);
  }
}
