import { loadConfig } from '@lib/common';
import { serviceEnvSchema } from '@lib/platform';

export const reconcileEnvSchema = serviceEnvSchema('reconcile');
export type ReconcileConfig = ReturnType<typeof loadReconcileConfig>;
export const loadReconcileConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(reconcileEnvSchema, env);
