import { AddRobotChannels1765000000003 } from './add-robot-channels.migration';
import { CreateAlertSources1765000000002 } from './create-alert-sources.migration';
import { CreateMaintenanceNotices1766000004000 } from './create-maintenance-notices.migration';
import { CreateNotifications1765000000001 } from './create-notifications.migration';
import { CreateNotifierRouting1765000000000 } from './create-routing.migration';

/** The notifier's own migrations, in order (the outbox and inbox come from the platform). */
export const NOTIFIER_MIGRATIONS = [
  CreateNotifierRouting1765000000000,
  CreateNotifications1765000000001,
  CreateAlertSources1765000000002,
  AddRobotChannels1765000000003,
  CreateMaintenanceNotices1766000004000,
];
