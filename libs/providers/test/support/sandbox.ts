import pino from 'pino';
// The adapters are tested against the simulators of the external systems (@lib/simulators), never against production.
import { DEV_CREDENTIALS, startSandbox, type RunningSandbox, type SandboxOptions } from '@lib/simulators';
import { Clock, SystemClock } from '@lib/common';
import {
  AuthorityAdapter,
  AuthorityConnection,
  BaiwangAdapter,
  BaiwangConnection,
  InMemoryTokenStore,
  NuonuoAdapter,
  NuonuoConnection,
  TokenStore,
} from '../../src';
import { ExternalCallError } from '@lib/resilience';

export { DEV_CREDENTIALS, type RunningSandbox };

export function quietSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ logLevel: 'silent', seed: 'providers', authority: { visibilityLagMs: 0 }, ...options });
}

const BREAKER = { volumeThreshold: 1_000, errorThresholdPercentage: 50, resetTimeoutMs: 300 };

export function authorityConnection(sandbox: RunningSandbox, over: Partial<AuthorityConnection> = {}): AuthorityConnection {
  const { appId, appSecret } = DEV_CREDENTIALS.authority;
  return { baseURL: sandbox.urls.authority, appId, appSecret, timeoutMs: 1_000, breaker: BREAKER, ...over };
}

export function baiwangConnection(sandbox: RunningSandbox, over: Partial<BaiwangConnection> = {}): BaiwangConnection {
  const { appKey, appSecret, username, password } = DEV_CREDENTIALS.baiwang;
  return {
    baseURL: sandbox.urls.baiwang,
    appKey,
    appSecret,
    username,
    password,
    timeoutMs: 1_000,
    tokenRefreshMarginMs: 300_000,
    breaker: BREAKER,
    ...over,
  };
}

export function nuonuoConnection(sandbox: RunningSandbox, over: Partial<NuonuoConnection> = {}): NuonuoConnection {
  const { appKey, appSecret } = DEV_CREDENTIALS.nuonuo;
  return {
    baseURL: sandbox.urls.nuonuo,
    appKey,
    appSecret,
    timeoutMs: 1_000,
    tokenRefreshMarginMs: 600_000,
    tokenQuotaRetryMs: 3_600_000,
    breaker: BREAKER,
    ...over,
  };
}

/** The three delivery adapters on one sandbox, for table-driven tests. */
export function adaptersFor(
  sandbox: RunningSandbox,
  over: { timeoutMs?: number; breaker?: AuthorityConnection['breaker']; tokens?: TokenStore; clock?: Clock } = {},
) {
  const clock = over.clock ?? new SystemClock();
  const tokens = over.tokens ?? new InMemoryTokenStore();
  const common = { ...(over.timeoutMs ? { timeoutMs: over.timeoutMs } : {}), ...(over.breaker ? { breaker: over.breaker } : {}) };
  return {
    authority: new AuthorityAdapter(authorityConnection(sandbox, common), clock),
    baiwang: new BaiwangAdapter(baiwangConnection(sandbox, common), tokens, clock, silentLogger),
    nuonuo: new NuonuoAdapter(nuonuoConnection(sandbox, common), tokens, clock, { notFoundGraceMs: 600_000 }, silentLogger),
  };
}

/** A clock running `offsetMs` ahead of the system clock (within the platforms' timestamp windows). */
export class OffsetClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/** The ExternalCallError a promise rejects with (fails the test when it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<ExternalCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ExternalCallError) return error;
    throw error;
  }
  throw new Error('expected an ExternalCallError, the call succeeded');
}

export const silentLogger = pino({ level: 'silent' });
