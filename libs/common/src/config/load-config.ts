import { z } from 'zod';

/** Raised at start-up when the environment is incomplete or wrong; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses environment variables with a zod object schema whose keys are the variable names.
 * Unknown variables are ignored; every problem is reported at once.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = env[String(issue.path[0])];
    const shown = value === undefined ? 'unset' : looksSecret(name) ? 'set (hidden)' : JSON.stringify(value);
    return `${name}: ${issue.message} (currently ${shown})`;
  });
  throw new ConfigError(problems);
}

function looksSecret(name: string): boolean {
  return /SECRET|PASSWORD|TOKEN|KEY/i.test(name);
}
