import { z } from 'zod';
import { envInt, envString } from '@lib/common';
import { callEnv, callSettings } from '../registry/call-env';
import { TargetDefinition, TargetEnv, unsetIn } from '../registry/target-definition';
import { BaiwangAdapter } from './baiwang.adapter';
import { BaiwangConnection } from './baiwang.gateway';

/** Off until BAIWANG_BASE_URL is set; then every credential is required. */
const env = {
  BAIWANG_BASE_URL: envString(''),
  BAIWANG_APP_KEY: envString(''),
  BAIWANG_APP_SECRET: envString(''),
  BAIWANG_USERNAME: envString(''),
  BAIWANG_PASSWORD: envString(''),
  BAIWANG_TOKEN_REFRESH_MARGIN_MS: envInt(300_000, 0, 86_400_000),
  /** Deadline of each one-key 抄报 / 清卡 / monitor call (the platform talks to the device meanwhile). */
  BAIWANG_DEVICE_OPS_TIMEOUT_MS: envInt(20_000, 50, 300_000),
  ...callEnv('BAIWANG', 8_000),
};
type BaiwangEnv = z.infer<z.ZodObject<typeof env>>;
const CREDENTIALS = ['BAIWANG_APP_KEY', 'BAIWANG_APP_SECRET', 'BAIWANG_USERNAME', 'BAIWANG_PASSWORD'];

export const baiwangTarget: TargetDefinition<BaiwangConnection, typeof env> = {
  name: 'baiwang',
  role: 'platform',
  envPrefix: 'BAIWANG',
  concurrency: 8,
  env,
  missing: (e: TargetEnv) => (e.BAIWANG_BASE_URL ? unsetIn(e, CREDENTIALS) : []),
  settings(e: TargetEnv) {
    const v = e as BaiwangEnv;
    if (!v.BAIWANG_BASE_URL) return undefined;
    return {
      baseURL: v.BAIWANG_BASE_URL,
      appKey: v.BAIWANG_APP_KEY,
      appSecret: v.BAIWANG_APP_SECRET,
      username: v.BAIWANG_USERNAME,
      password: v.BAIWANG_PASSWORD,
      tokenRefreshMarginMs: v.BAIWANG_TOKEN_REFRESH_MARGIN_MS,
      deviceOpsTimeoutMs: v.BAIWANG_DEVICE_OPS_TIMEOUT_MS,
      ...callSettings(e, 'BAIWANG'),
    };
  },
  createAdapter: (settings, { tokens, clock, logger, maxSockets }) =>
    new BaiwangAdapter({ ...settings, maxSockets }, tokens, clock, logger),
};
