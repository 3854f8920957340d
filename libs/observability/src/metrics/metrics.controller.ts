import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { MetricsTokenGuard } from './metrics-token.guard';
import { metricsRegistry } from './registry';

@ApiExcludeController()
/** Prometheus text; with METRICS_TOKEN set, only for a scrape that sends it as a bearer token. */
@Controller()
@UseGuards(MetricsTokenGuard)
export class MetricsController {
  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  async metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
