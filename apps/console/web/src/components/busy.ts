import { useRef, useState } from 'react';

/**
 * How long work runs before its button shows a spinner. A quick answer (a refusal often takes a few milliseconds)
 * then shows none: no flicker, and no half-finished spinner. Ant Design's loading icon, switched on and off within a
 * frame, can stay in the button invisible but named ("loading OK") for good: its leave transition has nothing to
 * animate, so it never ends.
 */
export const SPINNER_DELAY_MS = 200;

/** A button's `loading` while `busy`: its spinner only once the work has run for SPINNER_DELAY_MS. */
export function spinnerWhile(busy: boolean): boolean | { delay: number } {
  return busy && { delay: SPINNER_DELAY_MS };
}

/**
 * Runs one piece of work at a time: a second OK while the first runs does nothing, even before the busy state has
 * re-rendered the button (or while its spinner waits for SPINNER_DELAY_MS).
 */
export function useSubmitOnce(): { busy: boolean; run: (work: () => Promise<void>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const run = async (work: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await work();
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return { busy, run };
}
