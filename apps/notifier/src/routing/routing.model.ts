import { FindingSeverity } from '@lib/contracts';
import { NotificationChannel, RobotChannel } from '@lib/notifications';
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
  /**
   * The group robots this recipient (typically a finance team) is reached through, by their names in the
   * notifier's configuration (NOTIFIER_WECOM_ROBOTS...); null where the recipient has none.
   */
  robots?: Partial<Record<RobotChannel, string | null>>;
  language: Language;
  quietHours: QuietHours | null;
  active: boolean;
  scopes: RecipientScope[];
  createdAt: Date;
  updatedAt: Date;
}

/** What a person sets of a recipient (`POST`/`PUT /v1/recipients` parse it); the notifier keeps the id and times. */
export type RecipientFields = Omit<Recipient, 'id' | 'createdAt' | 'updatedAt'>;

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

/** Where a recipient is reached on a channel (an address, a number, a robot's name), or null. */
export function destinationOf(
  recipient: Pick<Recipient, 'email' | 'mobile' | 'robots'>,
  channel: NotificationChannel,
): string | null {
  if (channel === 'email') return recipient.email;
  if (channel === 'sms') return recipient.mobile;
  return recipient.robots?.[channel] ?? null;
}

/** One message to send: a recipient on a channel. */
export interface RoutedDelivery {
  recipient: Recipient;
  channel: NotificationChannel;
  level: number;
  mode: DeliveryMode;
}

/** What a person sets of a rule (`POST`/`PUT /v1/rules` parse it). */
export type RuleFields = Omit<RoutingRule, 'id' | 'createdAt' | 'updatedAt'>;
