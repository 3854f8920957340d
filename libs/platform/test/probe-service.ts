import { Controller, Module } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { loadConfig } from '@lib/common';
import { ServiceModule, serviceEnvSchema } from '../src';

export const PROBE_TOPIC = 'platform.probe.v1';
export const PROBE_GROUP = 'platform-probe';

@Controller()
class ProbeHandler {
  @EventPattern(PROBE_TOPIC)
  async handle(_event: unknown): Promise<void> {}
}

/** The smallest service: the shared module (database, Kafka, health, metrics) and one consumer of PROBE_TOPIC. */
export function probeService(env: Record<string, string>) {
  const config = loadConfig(serviceEnvSchema('platform_probe'), env);
  @Module({
    imports: [ServiceModule.forRoot({ service: 'platform-probe', config, topics: [{ name: PROBE_TOPIC }] })],
    controllers: [ProbeHandler],
  })
  class ProbeModule {}
  return { config, module: ProbeModule };
}
