import { FindingSeverity } from '@lib/contracts';
import { NotificationChannel } from '@lib/notifications';
import { AlertType } from './alert-types';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** `*` in a scope matches every taxpayer or branch. */
export const ANY = '*';

export interface RecipientScope {
  taxNo: string;
  branchId: string;
  /** 1 branch accountant, 2 regional finance, 3 group tax (more levels are allowed). */
  level: number;
}

export interface QuietHours {
  /** `HH:MM` in Asia/Shanghai. A window may cross midnight (22:00 → 08:00). */
  start: string;
  end: string;
}

export interface Recipient {
  id: string;
  name: string;
  email: string | null;
  mobile: string | null;
  language: Language;
  quietHours: QuietHours | null;
  active: boolean;
  scopes: RecipientScope[];
  createdAt: Date;
  updatedAt: Date;
}

export const DELIVERY_MODES = ['immediate', 'digest'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export interface RoutingRule {
  id: string;
  /** A finding type or one of the notifier's own alert types; null: any type. */
  findingType: AlertType | null;
  minSeverity: FindingSeverity;
  channels: NotificationChannel[];
  /** The level told first (escalation moves up from here). */
  level: number;
  mode: DeliveryMode;
  /** Higher wins when several rules match. */
  priority: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One message to send: a recipient on a channel. */
export interface RoutedDelivery {
  recipient: Recipient;
  channel: NotificationChannel;
  level: number;
  mode: DeliveryMode;
}
