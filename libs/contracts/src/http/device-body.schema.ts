import { z } from 'zod';
import {
  invoiceTypeSchema,
  localDateSchema,
  moneySchema,
  periodSchema,
  timestampSchema,
  uuidSchema,
} from '../schemas/primitives.schema';

export const CLEAR_CARD_STATUSES = ['succeeded', 'failed'] as const;

/** `POST /v1/devices/{deviceId}/clear-card`: the result of a clear-card (清卡) attempt. */
export const clearCardBodySchema = z.object({
  eventId: uuidSchema,
  period: periodSchema,
  status: z.enum(CLEAR_CARD_STATUSES),
  at: timestampSchema,
  errorCode: z.string().max(64).nullable().default(null),
  errorMessage: z.string().max(1000).nullable().default(null),
});

export const reportTotalSchema = z.object({
  type: invoiceTypeSchema,
  count: z.number().int().min(0),
  amount: moneySchema,
  taxAmount: moneySchema,
});

/** `POST /v1/devices/{deviceId}/reports`: the monthly summary (抄报), one total per invoice type. */
export const reportBodySchema = z.object({
  eventId: uuidSchema,
  period: periodSchema,
  totals: z
    .array(reportTotalSchema)
    .max(20)
    .superRefine((totals, ctx) => {
      const seen = new Set<string>();
      totals.forEach((total, index) => {
        if (seen.has(total.type)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'type'],
            message: `${total.type} is listed twice`,
            params: { code: 'DUPLICATE_VALUE' },
          });
        }
        seen.add(total.type);
      });
    }),
});

/** `POST /v1/devices/{deviceId}/monitor`: lock date and offline limits as the device reports them. */
export const monitorBodySchema = z.object({
  eventId: uuidSchema,
  at: timestampSchema,
  lockDate: localDateSchema,
  offlineSince: timestampSchema.nullable().default(null),
  offlineAmount: moneySchema,
  offlineAmountLimit: moneySchema,
  offlineHoursLimit: z.number().int().min(0).max(100_000),
});

export const DEVICE_EVENT_STATUSES = ['accepted', 'duplicate'] as const;
export const deviceEventResponseSchema = z.object({ status: z.enum(DEVICE_EVENT_STATUSES) });

export type ClearCardBody = z.output<typeof clearCardBodySchema>;
export type ReportBody = z.output<typeof reportBodySchema>;
export type ReportTotal = z.output<typeof reportTotalSchema>;
export type MonitorBody = z.output<typeof monitorBodySchema>;
export type DeviceEventResponse = z.output<typeof deviceEventResponseSchema>;
