import { Controller, Get, Inject, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { gauge } from '../metrics/registry';
import { INFORMATIONAL_INDICATORS, READINESS_INDICATORS, ReadinessIndicator, withTimeout } from './readiness';
import { ReadinessLog } from './readiness-log';
import { ReadinessRefusalFilter } from './readiness-refusal.filter';

const checkUp = gauge(
  'readiness_check_up',
  'Result of the last /readyz check of a dependency (1 answers, 0 does not); required="false": does not affect readiness',
  ['check', 'required'],
);

@ApiTags('health')
@Controller()
export class HealthController {
  private readonly log = new ReadinessLog();

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_INDICATORS) private readonly readiness: ReadinessIndicator[],
    @Inject(INFORMATIONAL_INDICATORS) private readonly informational: ReadinessIndicator[],
  ) {}

  /** Liveness: the process is up and its event loop answers. */
  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @HealthCheck()
  live() {
    return this.health.check([
      async () => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) }),
    ]);
  }

  /**
   * Readiness: every required dependency answers; a load balancer sends no traffic otherwise. Informational checks run
   * alongside (same time limit) and are reported with `required: false` and `reachable`, but never make the answer
   * 503: their `status` is always "up". The body says only up or down: why a check failed goes to the log.
   */
  @Get('readyz')
  @ApiOperation({
    summary: 'Readiness: every required dependency answers (status per dependency, no error text)',
  })
  @HealthCheck()
  @UseFilters(ReadinessRefusalFilter)
  ready() {
    return this.health.check([
      ...this.readiness.map((indicator) => async () => {
        const session = this.indicators.check(indicator.name);
        return (await this.runCheck(indicator, true)) ? session.up() : session.down();
      }),
      ...this.informational.map((indicator) => async () => {
        const reachable = await this.runCheck(indicator, false);
        return this.indicators.check(indicator.name).up({ required: false, reachable });
      }),
    ]);
  }

  /** Runs one check within 3 s, records it in the gauge and logs why it failed; resolves to whether it answered. */
  private async runCheck(indicator: ReadinessIndicator, required: boolean): Promise<boolean> {
    let problem: string | undefined;
    try {
      await withTimeout(indicator.check(), 3_000, indicator.name);
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    checkUp.set({ check: indicator.name, required: String(required) }, problem === undefined ? 1 : 0);
    this.log.record(indicator.name, required, problem);
    return problem === undefined;
  }
}
