import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { READINESS_INDICATORS, ReadinessIndicator, withTimeout } from './readiness';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_INDICATORS) private readonly readiness: ReadinessIndicator[],
  ) {}

  /** Liveness: the process is up and its event loop answers. */
  @Get('healthz')
  @HealthCheck()
  live() {
    return this.health.check([async () => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) })]);
  }

  /** Readiness: every dependency answers; a load balancer sends no traffic otherwise. */
  @Get('readyz')
  @HealthCheck()
  ready() {
    return this.health.check(
      this.readiness.map((indicator) => async () => {
        const session = this.indicators.check(indicator.name);
        try {
          await withTimeout(indicator.check(), 3_000, indicator.name);
          return session.up();
        } catch (error) {
          return session.down({ message: error instanceof Error ? error.message : String(error) });
        }
      }),
    );
  }
}
