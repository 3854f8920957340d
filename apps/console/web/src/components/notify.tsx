import { App } from 'antd';
import { useCallback } from 'react';
import { ApiError } from '../api/api-error';
import { useI18n } from '../i18n/i18n';

/** Shows a failed call as a notification with the service's message and error code (a 401 is already on its way to login). */
export function useReportError(): (error: unknown) => void {
  const { notification } = App.useApp();
  const { t } = useI18n();
  return useCallback(
    (error: unknown) => {
      if (error instanceof ApiError) {
        if (error.status === 401) return;
        notification.error({
          title: t('errorTitle'),
          description: `${error.message} (${error.code})`,
          placement: 'topRight',
        });
        return;
      }
      notification.error({
        title: t('errorTitle'),
        description: error instanceof Error ? error.message : String(error),
      });
    },
    [notification, t],
  );
}
