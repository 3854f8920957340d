/** Polls `probe` until it returns a value that `done` accepts, or fails with the last value seen. */
export async function pollUntil<T>(
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  {
    timeoutMs = 30_000,
    intervalMs = 100,
    what = 'condition',
  }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const seen = lastError
    ? `last error: ${String(lastError)}`
    : `last value: ${JSON.stringify(last)?.slice(0, 500)}`;
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (${seen})`);
}
