/** Bearer tokens of the services' APIs: at least this long in production, where a short one could be guessed. */
export const MIN_PRODUCTION_TOKEN_LENGTH = 32;

/**
 * The refinement a service's environment schema adds for its API token: with NODE_ENV=production a token that is set
 * must be long enough (empty still turns that API off). Development keeps short tokens for hand-run calls.
 */
export function productionTokenCheck<E extends { NODE_ENV: string }>(variable: keyof E & string) {
  return (
    env: E,
    ctx: { addIssue(issue: { code: 'custom'; path: string[]; message: string }): void },
  ): void => {
    const token = env[variable];
    if (env.NODE_ENV !== 'production' || typeof token !== 'string' || token === '') return;
    if (token.length < MIN_PRODUCTION_TOKEN_LENGTH)
      ctx.addIssue({
        code: 'custom',
        path: [variable],
        message: `must be at least ${MIN_PRODUCTION_TOKEN_LENGTH} characters in production (empty turns that API off)`,
      });
  };
}
