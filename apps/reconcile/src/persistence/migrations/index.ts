import { CreateAuthorityChecks1765000000900 } from './create-authority-checks.migration';
import { CreateDeviceResets1766000001000 } from './create-device-resets.migration';
import { ProposeCorrections1766000002000 } from './propose-corrections.migration';
import { CreateReceivedInvoices1766000004500 } from './create-received-invoices.migration';
import { LinkCorrectionReissue1766000005500 } from './link-correction-reissue.migration';
import { CreateMaintenanceWindows1766000004000 } from './create-maintenance-windows.migration';
import { CreateFindings1765000000002 } from './create-findings.migration';
import { CreateProjections1765000000000 } from './create-projections.migration';
import { CreateRuns1765000000001 } from './create-runs.migration';
import { CompareInvoiceContent1766000003000 } from './compare-invoice-content.migration';
import { ConsoleReads1766000000100 } from './console-reads.migration';
import { CrossCheckClearCards1765000001500 } from './cross-check-clear-cards.migration';
import { DeviceComplianceReads1766000000200 } from './device-compliance-reads.migration';
import { DeviceNames1766000000300 } from './device-names.migration';
import { DeviceRegistry1766000000400 } from './device-registry.migration';
import { RestartCorrectionRequests1765000001200 } from './restart-correction-requests.migration';
import { ReuseAuthorityChecks1765000001300 } from './reuse-authority-checks.migration';
import { StageLatestRecords1765000001400 } from './stage-latest-records.migration';
import { TrackCorrectionForms1765000000003 } from './track-correction-forms.migration';

/** Reconcile's own migrations, in order (the outbox and inbox come from the platform). */
export const RECONCILE_MIGRATIONS = [
  CreateProjections1765000000000,
  CreateRuns1765000000001,
  CreateFindings1765000000002,
  TrackCorrectionForms1765000000003,
  CreateAuthorityChecks1765000000900,
  RestartCorrectionRequests1765000001200,
  ReuseAuthorityChecks1765000001300,
  StageLatestRecords1765000001400,
  CrossCheckClearCards1765000001500,
  ConsoleReads1766000000100,
  DeviceComplianceReads1766000000200,
  DeviceNames1766000000300,
  DeviceRegistry1766000000400,
  CreateDeviceResets1766000001000,
  ProposeCorrections1766000002000,
  CompareInvoiceContent1766000003000,
  CreateMaintenanceWindows1766000004000,
  CreateReceivedInvoices1766000004500,
  LinkCorrectionReissue1766000005500,
];
