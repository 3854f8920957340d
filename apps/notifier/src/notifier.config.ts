import { loadConfig } from '@lib/common';
import { serviceEnvSchema } from '@lib/platform';

export const notifierEnvSchema = serviceEnvSchema('notifier');
export type NotifierConfig = ReturnType<typeof loadNotifierConfig>;
export const loadNotifierConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(notifierEnvSchema, env);
