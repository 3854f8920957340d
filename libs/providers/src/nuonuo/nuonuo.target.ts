import { z } from 'zod';
import { envInt, envString } from '@lib/common';
import { callEnv, callSettings } from '../registry/call-env';
import { TargetDefinition, TargetEnv, unsetIn } from '../registry/target-definition';
import { NuonuoAdapter } from './nuonuo.adapter';
import { NuonuoConnection } from './nuonuo.gateway';

/** Off until NUONUO_BASE_URL is set; then its app key and secret are required. */
const env = {
  NUONUO_BASE_URL: envString(''),
  NUONUO_APP_KEY: envString(''),
  NUONUO_APP_SECRET: envString(''),
  NUONUO_TOKEN_REFRESH_MARGIN_MS: envInt(1_800_000, 0, 86_400_000),
  NUONUO_TOKEN_QUOTA_RETRY_MS: envInt(3_600_000, 1_000, 7 * 86_400_000),
  NUONUO_NOT_FOUND_GRACE_MS: envInt(600_000, 0, 86_400_000),
  ...callEnv('NUONUO', 8_000),
};
type NuonuoEnv = z.infer<z.ZodObject<typeof env>>;
export type NuonuoSettings = NuonuoConnection & { notFoundGraceMs: number };

/**
 * Query only: Nuonuo's open platform issues invoices (requestBillingNew) but has no call that takes an invoice a tax
 * device already issued, so nothing is delivered to it (docs/sync.md, "Nuonuo: a query channel").
 */
export const nuonuoTarget: TargetDefinition<NuonuoSettings, typeof env> = {
  name: 'nuonuo',
  role: 'query',
  envPrefix: 'NUONUO',
  concurrency: 8,
  env,
  missing: (e: TargetEnv) => (e.NUONUO_BASE_URL ? unsetIn(e, ['NUONUO_APP_KEY', 'NUONUO_APP_SECRET']) : []),
  settings(e: TargetEnv) {
    const v = e as NuonuoEnv;
    if (!v.NUONUO_BASE_URL) return undefined;
    return {
      baseURL: v.NUONUO_BASE_URL,
      appKey: v.NUONUO_APP_KEY,
      appSecret: v.NUONUO_APP_SECRET,
      tokenRefreshMarginMs: v.NUONUO_TOKEN_REFRESH_MARGIN_MS,
      tokenQuotaRetryMs: v.NUONUO_TOKEN_QUOTA_RETRY_MS,
      notFoundGraceMs: v.NUONUO_NOT_FOUND_GRACE_MS,
      ...callSettings(e, 'NUONUO'),
    };
  },
  createAdapter: ({ notFoundGraceMs, ...connection }, { tokens, clock, logger, maxSockets }) =>
    new NuonuoAdapter({ ...connection, maxSockets }, tokens, clock, { notFoundGraceMs }, logger),
};
