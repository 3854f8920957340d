import { z } from 'zod';
import { clearCardBodySchema, monitorBodySchema, reportBodySchema } from '../http/device-body.schema';
import { deviceNoSchema, idSchema, timestampSchema } from '../schemas/primitives.schema';

export const DEVICE_EVENT_TYPES = {
  clearCard: 'device.clear-card',
  report: 'device.report',
  monitor: 'device.monitor',
} as const;

/** The longest device name an event carries; the gateway cuts a longer registered name to it. */
export const DEVICE_EVENT_NAME_MAX = 100;

/**
 * What the gateway adds to a device's own report: who reported it, for which taxpayer, and when it arrived. `deviceNo`
 * is the device's authority number (机器编号) as registered, null when none is; `deviceName` the name it was
 * registered under (how a finance clerk knows it), null when it has none. Older producers sent neither, so a message
 * without them is still valid (a consumer keeps what it knew).
 */
const deviceOrigin = {
  deviceId: idSchema,
  deviceNo: deviceNoSchema.nullable().optional(),
  deviceName: z.string().max(DEVICE_EVENT_NAME_MAX).nullable().optional(),
  branchId: idSchema,
  taxNo: z.string().min(1).max(32),
  receivedAt: timestampSchema,
};

/** The HTTP bodies without `eventId` (which becomes the envelope id), plus the origin. */
export const clearCardEventDataSchema = clearCardBodySchema.omit({ eventId: true }).extend(deviceOrigin);
export const reportEventDataSchema = reportBodySchema.omit({ eventId: true }).extend(deviceOrigin);
export const monitorEventDataSchema = monitorBodySchema.omit({ eventId: true }).extend(deviceOrigin);

export type ClearCardEventData = z.output<typeof clearCardEventDataSchema>;
export type ReportEventData = z.output<typeof reportEventDataSchema>;
export type MonitorEventData = z.output<typeof monitorEventDataSchema>;
