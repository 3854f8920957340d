import type { HTMLAttributes } from 'react';
import type { Page } from '../api/types';
import type { AsyncState } from './use-async';

/**
 * What every table of one page of a service's list shares: rows keyed by id (and marked with `rowAttr`, which the
 * browser tests find them by), the loading state, no client paging (a CursorPager follows), a horizontal scroll.
 */
export function pageTableProps<T extends { id: string }>(
  result: AsyncState<Page<T>>,
  rowAttr: `data-${string}`,
) {
  return {
    rowKey: 'id',
    size: 'middle' as const,
    loading: result.loading,
    pagination: false as const,
    dataSource: result.data?.items ?? [],
    scroll: { x: 'max-content' },
    onRow: (row: T) => ({ [rowAttr]: row.id }) as HTMLAttributes<HTMLElement>,
  };
}
