import { loadConfig } from '@lib/common';
import { serviceEnvSchema } from '@lib/platform';

export const syncEnvSchema = serviceEnvSchema('sync');
export type SyncConfig = ReturnType<typeof loadSyncConfig>;
export const loadSyncConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(syncEnvSchema, env);
