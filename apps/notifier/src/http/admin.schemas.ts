import { z } from 'zod';
import { FINDING_SEVERITIES } from '@lib/contracts';
import { NOTIFICATION_CHANNELS } from '@lib/notifications';
import { ROBOT_NAME_PATTERN } from '../notifier.config';
import { NOTIFICATION_STATUSES } from '../notifications/notification.model';
import { ALERT_TYPES } from '../routing/alert-types';
import { DELIVERY_MODES, LANGUAGES } from '../routing/routing.model';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
const scopeId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\s]+$/, 'must not contain spaces');

const robotName = z
  .string()
  .regex(ROBOT_NAME_PATTERN, 'must be a robot name from the notifier configuration');

/** `POST /v1/recipients`, `PUT /v1/recipients/{id}`. */
export const recipientBodySchema = z
  .object({
    name: z.string().min(1).max(200),
    email: z.email().max(254).nullable().default(null),
    mobile: z
      .string()
      .regex(/^1[3-9]\d{9}$/, 'must be a mainland mobile number')
      .nullable()
      .default(null),
    /**
     * The group robots this recipient (a finance team) is reached through, by their names in the notifier's
     * configuration (NOTIFIER_WECOM_ROBOTS, ...): never a key or token, which stay out of the database.
     */
    robots: z
      .object({
        wecom: robotName.nullable().default(null),
        dingtalk: robotName.nullable().default(null),
        feishu: robotName.nullable().default(null),
      })
      .default({ wecom: null, dingtalk: null, feishu: null }),
    language: z.enum(LANGUAGES).default('zh-CN'),
    /** Asia/Shanghai wall clock; SMS (except critical) waits until the end. */
    quietHours: z.object({ start: hhmm, end: hhmm }).nullable().default(null),
    active: z.boolean().default(true),
    scopes: z
      .array(
        z.object({
          taxNo: scopeId.describe('taxpayer id, or * for all'),
          branchId: scopeId.default('*').describe('branch id, or * for all of the taxpayer'),
          level: z
            .number()
            .int()
            .min(1)
            .max(9)
            .describe('1 branch accountant, 2 regional finance, 3 group tax'),
        }),
      )
      .min(1)
      .max(500),
  })
  .refine((r) => r.email || r.mobile || r.robots.wecom || r.robots.dingtalk || r.robots.feishu, {
    message: 'an email, a mobile number or a group robot is required',
    path: ['email'],
  });
export type RecipientBody = z.output<typeof recipientBodySchema>;

/** `POST /v1/rules`, `PUT /v1/rules/{id}`. */
export const ruleBodySchema = z.object({
  findingType: z
    .enum(ALERT_TYPES)
    .nullable()
    .default(null)
    .describe('a finding type, SYNC_DEAD, SYNC_REJECTED or DEAD_LETTER; null: any'),
  minSeverity: z.enum(FINDING_SEVERITIES),
  channels: z
    .array(z.enum(NOTIFICATION_CHANNELS))
    .min(1)
    .refine((c) => new Set(c).size === c.length, { message: 'must not repeat a channel' }),
  level: z.number().int().min(1).max(9).default(1),
  mode: z.enum(DELIVERY_MODES).default('immediate'),
  priority: z.number().int().min(-1000).max(1000).default(0),
});
export type RuleBody = z.output<typeof ruleBodySchema>;

export const listRecipientsQuerySchema = z.object({
  taxNo: scopeId.optional(),
  branchId: scopeId.optional(),
});

export const listNotificationsQuerySchema = z.object({
  findingId: z.string().min(1).max(64).optional(),
  recipient: z.string().min(1).max(64).optional(),
  status: z.enum(NOTIFICATION_STATUSES).optional(),
  channel: z.enum(NOTIFICATION_CHANNELS).optional(),
  branchId: scopeId.optional(),
  cursor: z.string().regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `POST /v1/test-send`. */
export const testSendBodySchema = z.object({
  recipientId: z.string().min(1).max(64),
  channel: z.enum(NOTIFICATION_CHANNELS),
});

export const idParamSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an id');
export const numericIdSchema = z.string().regex(/^\d{1,18}$/, 'must be a numeric id');
