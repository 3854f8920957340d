import { Button, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useI18n } from '../i18n/i18n';

/** Server-side cursor paging: a stack of the cursors that opened the pages before this one. */
export function useCursorStack(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({
    key: resetKey,
    stack: [undefined],
  });
  const stack = state.key === resetKey ? state.stack : [undefined];
  if (state.key !== resetKey) setState({ key: resetKey, stack });
  const cursor = stack[stack.length - 1];
  const next = useCallback(
    (nextCursor: string) => setState({ key: resetKey, stack: [...stack, nextCursor] }),
    [resetKey, stack],
  );
  const previous = useCallback(
    () => setState({ key: resetKey, stack: stack.slice(0, -1) }),
    [resetKey, stack],
  );
  return { cursor, page: stack.length, next, previous, hasPrevious: stack.length > 1 };
}

interface PagerProps {
  total?: number;
  nextCursor?: string | null;
  paging: ReturnType<typeof useCursorStack>;
  loading?: boolean;
}

export function CursorPager({ total, nextCursor, paging, loading }: PagerProps) {
  const { t } = useI18n();
  return (
    <Space style={{ marginTop: 12, display: 'flex', justifyContent: 'flex-end' }}>
      {total !== undefined && total !== null && (
        <Typography.Text data-testid="total">{t('total', { n: total })}</Typography.Text>
      )}
      <Button onClick={paging.previous} disabled={!paging.hasPrevious || loading}>
        {t('previous')}
      </Button>
      <Button onClick={() => nextCursor && paging.next(nextCursor)} disabled={!nextCursor || loading}>
        {t('next')}
      </Button>
    </Space>
  );
}
