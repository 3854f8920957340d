import { DynamicModule, Module, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsController } from '../metrics/metrics.controller';
import { METRICS_TOKEN, MetricsTokenGuard } from '../metrics/metrics-token.guard';
import { HealthController } from './health.controller';
import { INFORMATIONAL_INDICATORS, READINESS_INDICATORS, ReadinessIndicator } from './readiness';

export interface HealthModuleOptions {
  /** Checks reported by /readyz (and the `readiness_check_up` gauge) that do not make the service unready. */
  informational?: Type<ReadinessIndicator>[];
  /** Bearer token /metrics requires; unset or empty: /metrics is open. */
  metricsToken?: string;
}

/** `/healthz`, `/readyz` and `/metrics` (behind a bearer token when one is given) for a service, with the readiness checks it names. */
@Module({})
export class HealthModule {
  static forRoot(indicators: Type<ReadinessIndicator>[], options: HealthModuleOptions = {}): DynamicModule {
    const informational = (options.informational ?? []).filter((type) => !indicators.includes(type));
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: METRICS_TOKEN, useValue: options.metricsToken ?? '' },
        MetricsTokenGuard,
        ...indicators,
        ...informational,
        {
          provide: READINESS_INDICATORS,
          inject: indicators,
          useFactory: (...instances: ReadinessIndicator[]) => instances,
        },
        {
          provide: INFORMATIONAL_INDICATORS,
          inject: informational,
          useFactory: (...instances: ReadinessIndicator[]) => instances,
        },
      ],
    };
  }
}
