import { z } from 'zod';
import { ConfigError, envBool, envString } from '@lib/common';
import { AuthorityConnection } from '../authority/authority.client';
import { authorityTarget } from '../authority/authority.target';
import { BaiwangConnection } from '../baiwang/baiwang.gateway';
import { baiwangTarget } from '../baiwang/baiwang.target';
import { NuonuoSettings, nuonuoTarget } from '../nuonuo/nuonuo.target';
import { targetRegistry } from '../registry/built-in-targets';
import { TargetEnv } from '../registry/target-definition';
import { TargetRegistry } from '../registry/target-registry';
import { productionProviderProblems } from './provider-production';

/** Variables about every target rather than one. */
const commonEnvShape = {
  /** `production` refuses the sandbox defaults and plain-http targets (provider-production.ts). */
  NODE_ENV: envString('development'),
  /** Production only: accept http target URLs (an egress proxy on a network you trust). */
  TARGETS_ALLOW_PLAIN_HTTP: envBool(false),
};

/**
 * Environment of the provider adapters (base URLs, credentials, timeouts, breakers), shared by every service that talks
 * to the targets: each target's own variables come from its definition (authority.target.ts, baiwang.target.ts, ...).
 * This is the built-in targets' shape, statically typed; `providerEnvShapeOf` adds registered ones.
 */
export const providerEnvShape = {
  ...commonEnvShape,
  ...authorityTarget.env,
  ...baiwangTarget.env,
  ...nuonuoTarget.env,
};

/** The variables of every target in `registry` (its definitions' own fields). */
export function providerEnvShapeOf(registry: TargetRegistry = targetRegistry): z.ZodRawShape {
  return Object.assign({ ...commonEnvShape }, ...registry.all().map((t) => t.env)) as z.ZodRawShape;
}

export const providerEnvSchema = z.object(providerEnvShape);
export type ProviderEnv = z.infer<typeof providerEnvSchema>;

/** The built-in targets' connections (a platform is absent while its base URL is unset). */
export interface ProviderSettings {
  authority: AuthorityConnection;
  baiwang?: BaiwangConnection;
  nuonuo?: NuonuoSettings;
}

/** Stops the service when a configured target lacks a variable, or a production start uses a sandbox default. */
export function checkProviderEnv(env: TargetEnv, registry: TargetRegistry = targetRegistry): void {
  const unset = registry.all().flatMap((t) => t.missing(env));
  const problems = unset.map((name) => `${name}: required (currently unset)`);
  if (env.NODE_ENV === 'production') {
    const urls = registry.all().map((t) => `${t.envPrefix}_BASE_URL`);
    problems.push(...productionProviderProblems(env, urls));
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/**
 * The built-in adapters' connections from the parsed environment (reconcile reads the authority's and Baiwang's); a
 * platform with a base URL must have all its credentials, and a production start no sandbox default nor plain-http
 * target.
 */
export function providerSettingsFrom(env: ProviderEnv): ProviderSettings {
  checkProviderEnv(env);
  return {
    authority: authorityTarget.settings(env) as AuthorityConnection,
    baiwang: baiwangTarget.settings(env),
    nuonuo: nuonuoTarget.settings(env),
  };
}
