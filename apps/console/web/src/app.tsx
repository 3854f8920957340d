import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { usePrefersReducedMotion } from './components/reduced-motion';
import { I18nProvider, useI18n } from './i18n/i18n';
import { AppLayout } from './layout/app-layout';
import { AuditPage } from './pages/audit-page';
import { CorrectionsPage } from './pages/corrections-page';
import { DeliveriesPage } from './pages/deliveries-page';
import { DeviceDetailPage } from './pages/device-detail-page';
import { DevicesPage } from './pages/devices-page';
import { FindingDetailPage } from './pages/finding-detail-page';
import { FindingsPage } from './pages/findings-page';
import { InvoiceTimelinePage } from './pages/invoice-timeline-page';
import { InvoicesPage } from './pages/invoices-page';
import { MaintenancePage } from './pages/maintenance-page';
import { NotFoundPage } from './pages/not-found-page';
import { NotificationsPage } from './pages/notifications-page';
import { OverviewPage } from './pages/overview-page';
import { ReceivedPage } from './pages/received-page';
import { ReconciliationsPage } from './pages/reconciliations-page';
import { SessionProvider } from './session/session';

function Localized() {
  const { lang } = useI18n();
  const reducedMotion = usePrefersReducedMotion();
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  return (
    // autoInsertSpace off: "确定", "重试" stay as written (antd would render "确 定")
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      button={{ autoInsertSpace: false }}
      theme={{ token: { motion: !reducedMotion } }}
    >
      <AntApp>
        <SessionProvider>
          <BrowserRouter>
            <Routes>
              <Route element={<AppLayout />}>
                <Route index element={<OverviewPage />} />
                <Route path="findings" element={<FindingsPage />} />
                <Route path="findings/:id" element={<FindingDetailPage />} />
                <Route path="invoices" element={<InvoicesPage />} />
                <Route path="invoices/:key" element={<InvoiceTimelinePage />} />
                <Route path="devices" element={<DevicesPage />} />
                <Route path="devices/:id" element={<DeviceDetailPage />} />
                <Route path="deliveries" element={<DeliveriesPage />} />
                <Route path="reconciliations" element={<ReconciliationsPage />} />
                <Route path="corrections" element={<CorrectionsPage />} />
                <Route path="received" element={<ReceivedPage />} />
                <Route path="maintenance" element={<MaintenancePage />} />
                <Route path="notifications" element={<NotificationsPage />} />
                <Route path="audit" element={<AuditPage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function ConsoleApp() {
  return (
    <I18nProvider>
      <Localized />
    </I18nProvider>
  );
}
