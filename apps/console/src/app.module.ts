import {
  DynamicModule,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnApplicationShutdown,
  OnModuleInit,
  Injectable,
  Inject,
} from '@nestjs/common';
import { CLOCK, Clock, clockFromOffset, CryptoIdSource, ID_SOURCE, IdSource } from '@lib/common';
import { HealthModule, HttpMetricsMiddleware } from '@lib/observability';
import { DatabaseModule, DatabaseReadiness } from '@lib/persistence';
import { AuditController } from './http/audit.controller';
import { MeController } from './http/me.controller';
import { ProxyController } from './http/proxy.controller';
import { Upstream } from './api/upstream';
import { AuthController } from './http/auth.controller';
import { OidcClient } from './auth/oidc-client';
import { ConsoleConfig } from './console.config';
import { CONSOLE_CONFIG } from './console.tokens';
import { ExportController } from './http/export.controller';
import { ConsoleLoggingModule } from './http/console-logging.module';
import { SessionGate } from './http/session-gate';
import { CONSOLE_MIGRATIONS } from './persistence/migrations';
import { PersonClaims } from './session/person-claims';
import { SessionRepository } from './session/session.repository';
import { SessionService } from './session/session.service';
import { SpaController } from './http/spa.controller';

/** What tests (and only tests) swap. */
export interface ConsoleModuleOverrides {
  clock?: Clock;
  ids?: IdSource;
}

const PRUNE_EVERY_MS = 10 * 60_000;

/** Removes ended sessions and abandoned logins now and then (lookups already refuse them). */
@Injectable()
class SessionPruner implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  constructor(@Inject(SessionService) private readonly sessions: SessionService) {}
  onModuleInit(): void {
    this.timer = setInterval(() => void this.sessions.prune().catch(() => undefined), PRUNE_EVERY_MS);
    this.timer.unref();
  }
  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/**
 * The console's backend-for-frontend: sessions in its own schema, sign-in against the IdP, the services' APIs behind
 * /api with the person's token, exports, the single-page app. No Kafka: it only talks HTTP.
 */
@Module({})
export class ConsoleAppModule implements NestModule {
  static forRoot(config: ConsoleConfig, overrides: ConsoleModuleOverrides = {}): DynamicModule {
    return {
      module: ConsoleAppModule,
      imports: [
        ConsoleLoggingModule.forRoot(config.LOG_LEVEL),
        DatabaseModule.forRoot({
          url: config.DATABASE_URL,
          schema: config.DB_SCHEMA,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: 'console',
          entities: [],
          migrations: CONSOLE_MIGRATIONS,
        }),
        HealthModule.forRoot([DatabaseReadiness, OidcReadiness], { metricsToken: config.METRICS_TOKEN }),
      ],
      // Order matters: /api/audit and /api/export before the /api/<service>/... proxy; the pages last.
      controllers: [
        AuthController,
        MeController,
        AuditController,
        ExportController,
        ProxyController,
        SpaController,
      ],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        { provide: CLOCK, useValue: overrides.clock ?? clockFromOffset(config.CLOCK_OFFSET_MS) },
        { provide: ID_SOURCE, useValue: overrides.ids ?? new CryptoIdSource() },
        OidcClient,
        PersonClaims,
        SessionRepository,
        SessionService,
        SessionGate,
        SessionPruner,
        Upstream,
      ],
      global: true,
      exports: [CONSOLE_CONFIG, OidcClient],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}

/** /readyz: the IdP's discovery document answers (the console cannot sign anyone in without it). */
@Injectable()
export class OidcReadiness {
  readonly name = 'idp';
  constructor(@Inject(OidcClient) private readonly oidc: OidcClient) {}
  check(): Promise<void> {
    return this.oidc.check();
  }
}
