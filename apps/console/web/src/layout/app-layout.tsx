import { LogoutOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Segmented, Space, Tag, Typography } from 'antd';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { api } from '../api/client';
import { useReportError } from '../components/notify';
import type { MessageKey } from '../i18n/en';
import { useI18n, type Lang } from '../i18n/i18n';
import { useCan, useSession } from '../session/session';

/** The menu; an entry with a permission is shown only to people holding it (the service refuses the others anyway). */
const NAV: { path: string; key: MessageKey; permission?: string }[] = [
  { path: '/', key: 'nav.overview' },
  { path: '/findings', key: 'nav.findings' },
  { path: '/invoices', key: 'nav.invoices' },
  { path: '/devices', key: 'nav.devices' },
  { path: '/deliveries', key: 'nav.deliveries' },
  { path: '/reconciliations', key: 'nav.reconciliations' },
  { path: '/corrections', key: 'nav.corrections' },
  { path: '/received', key: 'nav.received', permission: 'invoices:read' },
  { path: '/maintenance', key: 'nav.maintenance' },
  { path: '/notifications', key: 'nav.notifications' },
  { path: '/audit', key: 'nav.audit' },
];

const ROLE_NAMES: Record<string, { zh: string; en: string }> = {
  admin: { zh: '管理员', en: 'Admin' },
  'finance-manager': { zh: '财务经理', en: 'Finance manager' },
  'branch-clerk': { zh: '分支机构会计', en: 'Branch clerk' },
  auditor: { zh: '审计员', en: 'Auditor' },
};

function activeKey(pathname: string): string {
  const match = NAV.filter((n) => n.path !== '/' && pathname.startsWith(n.path));
  return match[0]?.path ?? '/';
}

export function AppLayout() {
  const { t, lang, setLang } = useI18n();
  const me = useSession();
  const can = useCan();
  const location = useLocation();
  const report = useReportError();
  const signOut = async () => {
    try {
      const { redirect } = await api.raw<{ redirect: string }>('POST', '/auth/logout');
      window.location.assign(redirect || '/');
    } catch (e) {
      report(e);
    }
  };
  const items = NAV.filter((n) => !n.permission || can(n.permission)).map((n) => ({ key: n.path, label: <Link to={n.path}>{t(n.key)}</Link> }));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="console-header">
        <Typography.Text strong className="console-brand">
          {t('appTitle')}
        </Typography.Text>
        <Menu theme="dark" mode="horizontal" disabledOverflow selectedKeys={[activeKey(location.pathname)]} items={items} className="console-nav" />
        <Space size="middle" className="console-user">
          <span className="console-user-name" data-testid="user-name">
            {me.name}
          </span>
          {me.roles.map((role) => (
            <Tag key={role} color="blue">
              {ROLE_NAMES[role]?.[lang] ?? role}
            </Tag>
          ))}
          <Segmented<Lang>
            aria-label={t('language')}
            size="small"
            value={lang}
            onChange={setLang}
            options={[
              { label: '中文', value: 'zh' },
              { label: 'English', value: 'en' },
            ]}
          />
          <Button icon={<LogoutOutlined />} onClick={() => void signOut()}>
            {t('signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content className="console-content">
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
