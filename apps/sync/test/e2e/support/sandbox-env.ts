// Sync's end-to-end tests run against the simulators of the external systems (@lib/simulators), started in this process.
import { randomBytes } from 'node:crypto';
import { DEV_CREDENTIALS, startSandbox, type RunningSandbox, type SandboxState } from '@lib/simulators';
import { withUsccCheckDigit } from '@lib/domain';

export { type RunningSandbox, type SandboxState };

export function e2eSandbox(): Promise<RunningSandbox> {
  return startSandbox({
    logLevel: 'silent',
    seed: 'sync-e2e',
    authority: { visibilityLagMs: 0 },
    nuonuo: { issuingMs: 300, sealingMs: 200, queryLagMs: 200 },
  });
}

const E2E_MASTER_KEY = randomBytes(32).toString('base64');

/** Sync's environment pointing at the sandbox, with timings short enough for tests. */
export function syncEnvFor(sandbox: RunningSandbox, over: Record<string, string> = {}): Record<string, string> {
  const { authority, baiwang, nuonuo } = DEV_CREDENTIALS;
  const breaker = (p: string) => ({
    [`${p}_TIMEOUT_MS`]: '500',
    [`${p}_BREAKER_VOLUME`]: '5',
    [`${p}_BREAKER_ERROR_PERCENT`]: '50',
    [`${p}_BREAKER_RESET_MS`]: '1000',
    [`${p}_BREAKER_WINDOW_MS`]: '5000',
  });
  return {
    AUTHORITY_BASE_URL: sandbox.urls.authority,
    AUTHORITY_APP_ID: authority.appId,
    AUTHORITY_APP_SECRET: authority.appSecret,
    ...breaker('AUTHORITY'),
    BAIWANG_BASE_URL: sandbox.urls.baiwang,
    BAIWANG_APP_KEY: baiwang.appKey,
    BAIWANG_APP_SECRET: baiwang.appSecret,
    BAIWANG_USERNAME: baiwang.username,
    BAIWANG_PASSWORD: baiwang.password,
    ...breaker('BAIWANG'),
    NUONUO_BASE_URL: sandbox.urls.nuonuo,
    NUONUO_APP_KEY: nuonuo.appKey,
    NUONUO_APP_SECRET: nuonuo.appSecret,
    NUONUO_NOT_FOUND_GRACE_MS: '3000',
    ...breaker('NUONUO'),
    SYNC_DEFAULT_PLATFORMS: 'baiwang', // Nuonuo is a query channel: never routed to (issue 16)
    // Baiwang's and Nuonuo's tokens are sealed at rest; one key for the whole run (sync restarts keep reading them).
    SYNC_MASTER_KEYS: `k1:${E2E_MASTER_KEY}`,
    SYNC_MAX_ATTEMPTS: '30',
    SYNC_SENDING_LEASE_MS: '3000',
    SYNC_ABSENT_GRACE_MS: '3000',
    SYNC_POLL_FIRST_MS: '300',
    SYNC_POLL_MAX_MS: '1000',
    SYNC_BACKOFF_INITIAL_MS: '100',
    SYNC_BACKOFF_MAX_MS: '1000',
    SYNC_BREAKER_RETRY_MS: '300',
    ...over,
  };
}

let taxpayers = 0;
/** A fresh seller (its own routing row), valid USCC. */
export function newSeller(): string {
  taxpayers += 1;
  const body = `9144030${String(Date.now() % 1e6).padStart(6, '0')}${String(taxpayers).padStart(3, '0')}A`;
  return withUsccCheckDigit(body.slice(0, 17));
}

/**
 * Direct uploads the authority processed = everything it processed minus what the platforms relayed to
 * it (every platform acceptance is relayed once: new at the authority, or `relayedDuplicates` when the
 * authority already had it).
 */
export function directAuthorityUploads(state: SandboxState): number {
  const { accepted, duplicates, relayedDuplicates } = state.authority;
  return accepted + duplicates + relayedDuplicates - state.baiwang.accepted - state.nuonuo.accepted;
}
