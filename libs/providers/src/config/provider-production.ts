/** The local sandbox's authority and its development credentials: the defaults outside production. */
export const SANDBOX_AUTHORITY = {
  AUTHORITY_BASE_URL: 'http://127.0.0.1:7101',
  AUTHORITY_APP_ID: 'sandbox-authority-app',
  AUTHORITY_APP_SECRET: 'sandbox-authority-secret',
} as const;

/** The variables these checks read (a subset of the parsed environment). */
export type ProductionProviderEnv = Readonly<Record<string, unknown>>;

/**
 * Problems that stop a production start (NODE_ENV=production): the sandbox's authority address or credentials, or a
 * target reached over plain http (credentials, tokens and invoices in the clear) unless TARGETS_ALLOW_PLAIN_HTTP says
 * an egress proxy on a trusted network carries them (`baseUrls`: every registered target's `<PREFIX>_BASE_URL`). One `VARIABLE: problem` line each; values are never repeated.
 */
export function productionProviderProblems(
  env: ProductionProviderEnv,
  baseUrls: readonly string[],
): string[] {
  const defaults = Object.entries(SANDBOX_AUTHORITY).filter(([name, value]) => env[name] === value);
  const problems = defaults.map(
    ([name]) => `${name}: is the sandbox's development default; set the real target's`,
  );
  if (env.TARGETS_ALLOW_PLAIN_HTTP) return problems;
  for (const name of baseUrls) {
    const url = typeof env[name] === 'string' ? env[name] : '';
    if (url === SANDBOX_AUTHORITY.AUTHORITY_BASE_URL || !/^http:/i.test(url)) continue;
    problems.push(
      `${name}: plain http in production; use https, or set TARGETS_ALLOW_PLAIN_HTTP=true (a proxy you trust)`,
    );
  }
  return problems;
}
