import { DynamicModule, Module, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsController } from '../metrics/metrics.controller';
import { HealthController } from './health.controller';
import { READINESS_INDICATORS, ReadinessIndicator } from './readiness';

/** `/healthz`, `/readyz` and `/metrics` for a service, with the readiness checks it names. */
@Module({})
export class HealthModule {
  static forRoot(indicators: Type<ReadinessIndicator>[]): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        ...indicators,
        {
          provide: READINESS_INDICATORS,
          inject: indicators,
          useFactory: (...instances: ReadinessIndicator[]) => instances,
        },
      ],
    };
  }
}
