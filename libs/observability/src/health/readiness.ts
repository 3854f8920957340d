/** A dependency the service needs in order to do its work (database, broker...). */
export interface ReadinessIndicator {
  readonly name: string;
  /** Resolves when ready; rejects (with a short reason) when not. Must be quick and bounded in time. */
  check(): Promise<void>;
}

/** The checks /readyz requires: any of them down makes the service not ready (503). */
export const READINESS_INDICATORS = Symbol('READINESS_INDICATORS');

/**
 * Checks /readyz runs and reports but does not require: a dependency the service can work without for a while (the
 * device gateway keeps accepting invoices into its outbox while Kafka is down). Reported in the body of /readyz with
 * `required: false`, and, like every check, as the `readiness_check_up` gauge.
 */
export const INFORMATIONAL_INDICATORS = Symbol('INFORMATIONAL_INDICATORS');

/** Runs a check with a time limit, so a hung dependency reads as "not ready" instead of hanging the probe. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
