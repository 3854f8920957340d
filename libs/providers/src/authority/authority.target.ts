import { z } from 'zod';
import { envString } from '@lib/common';
import { SANDBOX_AUTHORITY } from '../config/provider-production';
import { callEnv, callSettings } from '../registry/call-env';
import { TargetDefinition, TargetEnv, unsetIn } from '../registry/target-definition';
import { AuthorityAdapter } from './authority.adapter';
import { AuthorityConnection } from './authority.client';

/** Outside production the authority defaults to the local sandbox and its development credentials. */
const env = {
  AUTHORITY_BASE_URL: envString(SANDBOX_AUTHORITY.AUTHORITY_BASE_URL),
  AUTHORITY_APP_ID: envString(SANDBOX_AUTHORITY.AUTHORITY_APP_ID),
  AUTHORITY_APP_SECRET: envString(SANDBOX_AUTHORITY.AUTHORITY_APP_SECRET),
  ...callEnv('AUTHORITY', 5_000),
};
type AuthorityEnv = z.infer<z.ZodObject<typeof env>>;
const REQUIRED = ['AUTHORITY_BASE_URL', 'AUTHORITY_APP_ID', 'AUTHORITY_APP_SECRET'];

/** The tax authority: always a target, so always configured. */
export const authorityTarget: TargetDefinition<AuthorityConnection, typeof env> = {
  name: 'authority',
  role: 'authority',
  envPrefix: 'AUTHORITY',
  concurrency: 16,
  env,
  missing: (e: TargetEnv) => unsetIn(e, REQUIRED),
  settings(e: TargetEnv) {
    const v = e as AuthorityEnv;
    return {
      baseURL: v.AUTHORITY_BASE_URL,
      appId: v.AUTHORITY_APP_ID,
      appSecret: v.AUTHORITY_APP_SECRET,
      ...callSettings(e, 'AUTHORITY'),
    };
  },
  createAdapter: (settings, { clock, maxSockets }) =>
    new AuthorityAdapter({ ...settings, maxSockets }, clock),
};
