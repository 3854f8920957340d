import { useSearchParams } from 'react-router-dom';

/**
 * A page's filters kept in the address (so a link or a reload shows the same rows): `get` reads one, `set` changes or
 * clears one, replacing the history entry.
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const get = (name: string): string | undefined => params.get(name) ?? undefined;
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  return { params, get, set };
}
