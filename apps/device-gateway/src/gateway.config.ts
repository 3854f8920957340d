import { loadConfig } from '@lib/common';
import { serviceEnvSchema } from '@lib/platform';

export const gatewayEnvSchema = serviceEnvSchema('gateway');
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(gatewayEnvSchema, env);
