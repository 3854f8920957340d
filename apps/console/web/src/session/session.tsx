import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Result, Spin } from 'antd';
import { api, setCsrfToken } from '../api/client';
import { ApiError } from '../api/api-error';
import type { Me } from '../api/types';
import { useI18n } from '../i18n/i18n';

const SessionContext = createContext<Me | null>(null);

/** Loads the person (`GET /api/me`) before anything else renders; a 401 has already sent the browser to login. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    api
      .raw<Me>('GET', '/api/me')
      .then((value) => {
        if (!live) return;
        setCsrfToken(value.csrfToken);
        setMe({ ...value, roles: value.roles ?? [], permissions: value.permissions ?? [] });
      })
      .catch((e: unknown) => {
        if (live && e instanceof ApiError && e.status !== 401) setError(e);
      });
    return () => {
      live = false;
    };
  }, []);
  if (error) return <Result status="error" title={t('errorTitle')} subTitle={`${error.code}: ${error.message}`} />;
  if (!me) return <Spin size="large" fullscreen tip={t('loading')} />;
  return <SessionContext.Provider value={me}>{children}</SessionContext.Provider>;
}

export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession outside SessionProvider');
  return me;
}

/** Whether the person holds a permission (what the services will also enforce). */
export function useCan(): (permission: string) => boolean {
  const me = useSession();
  return (permission) => me.permissions.includes(permission);
}
