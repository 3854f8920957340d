/** A dependency the service needs in order to do its work (database, broker...). */
export interface ReadinessIndicator {
  readonly name: string;
  /** Resolves when ready; rejects (with a short reason) when not. Must be quick and bounded in time. */
  check(): Promise<void>;
}

export const READINESS_INDICATORS = Symbol('READINESS_INDICATORS');

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
