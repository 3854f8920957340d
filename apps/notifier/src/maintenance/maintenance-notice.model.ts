import { MaintenanceChanged } from '@lib/contracts';
import { NotificationChannel } from '@lib/notifications';

/** The notices of a maintenance window, each its own notification kind (composed from the window at send time). */
export const MAINTENANCE_KINDS = [
  'maintenance_announced',
  'maintenance_changed',
  'maintenance_reminder',
  'maintenance_ended',
  'maintenance_cancelled',
] as const;
export type MaintenanceKind = (typeof MAINTENANCE_KINDS)[number];

/** The window as the notifier last heard of it (`maintenance_windows`). */
export type MaintenanceWindowState = MaintenanceChanged;

/** Notifications are about one revision of a window: `maintenance:{windowId}:r{revision}` in `finding_id`. */
export function maintenanceRef(windowId: string, revision: number): string {
  return `maintenance:${windowId}:r${revision}`;
}

export function parseMaintenanceRef(ref: string | null): { windowId: string; revision: number } | null {
  const match = /^maintenance:([0-9a-f-]{36}):r(\d+)$/.exec(ref ?? '');
  return match ? { windowId: match[1], revision: Number(match[2]) } : null;
}

/** One notice per window revision, kind, recipient and channel: a redelivered or republished change adds nothing. */
export function maintenanceKey(ref: string, kind: MaintenanceKind, recipientId: string, channel: NotificationChannel): string {
  return `${ref}:${kind}:${recipientId}:${channel}`;
}

/**
 * Which notices a change schedules, and when (at `now`; none for a window already over, as when a first start reads
 * the topic from its beginning): announced or changed → told now, reminded `leadMs` before the start (when that is
 * still ahead), and told when it ends; cancelled → told now.
 */
export function noticesOf(w: MaintenanceChanged, now: Date, leadMs: number): { kind: MaintenanceKind; dueAt: Date }[] {
  const start = new Date(w.startsAt);
  const end = new Date(w.endsAt);
  if (end.getTime() <= now.getTime()) return [];
  if (w.change === 'cancelled') return [{ kind: 'maintenance_cancelled', dueAt: now }];
  const reminderAt = new Date(start.getTime() - leadMs);
  return [
    { kind: w.change === 'announced' ? 'maintenance_announced' : 'maintenance_changed', dueAt: now },
    ...(reminderAt.getTime() > now.getTime() ? [{ kind: 'maintenance_reminder' as const, dueAt: reminderAt }] : []),
    { kind: 'maintenance_ended', dueAt: end },
  ];
}

/**
 * Whether a notice still applies when it is due: only the window's current revision is told (a change supersedes
 * the notices of the one before, which the change's own notices replace), and a cancelled window only its
 * cancellation. Returns the reason it does not, or null.
 */
export function staleReason(kind: MaintenanceKind, revision: number, current: MaintenanceWindowState | undefined): string | null {
  if (!current) return 'MAINTENANCE_UNKNOWN';
  if (current.revision !== revision) return 'MAINTENANCE_SUPERSEDED';
  if (current.state === 'cancelled' && kind !== 'maintenance_cancelled') return 'MAINTENANCE_CANCELLED';
  return null;
}
