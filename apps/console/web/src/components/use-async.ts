import { useCallback, useEffect, useRef, useState } from 'react';
import { useReportError } from './notify';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` whenever `key` changes (and on reload); the last answer wins. Failures are reported once as a
 * notification unless `quiet` (the page shows them itself).
 */
export function useAsync<T>(load: () => Promise<T>, key: string, quiet = false): AsyncState<T> {
  const report = useReportError();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setLoading(true);
    loadRef
      .current()
      .then((value) => {
        if (!live) return;
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setError(e);
        if (!quiet) report(e);
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [key, tick, quiet, report]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}
