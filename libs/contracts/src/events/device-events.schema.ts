import { z } from 'zod';
import { clearCardBodySchema, monitorBodySchema, reportBodySchema } from '../http/device-body.schema';
import { DEVICE_CHANGES, DEVICE_STATUSES } from '../devices/device-lifecycle';
import { deviceNoSchema, idSchema, localDateSchema, timestampSchema } from '../schemas/primitives.schema';

export const DEVICE_EVENT_TYPES = {
  clearCard: 'device.clear-card',
  report: 'device.report',
  monitor: 'device.monitor',
  changed: 'device.changed',
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

/**
 * Set when the product itself ran the operation on a device hosted by a platform (remote 抄报 / 清卡, issue 15): the
 * platform (a target name such as `baiwang`) and the platform request that did it. Absent or null when the device
 * reported it itself; consumers treat both the same way.
 */
export const remoteOperationSchema = z.object({
  target: idSchema,
  requestId: z.string().min(1).max(128),
  /** The failure class when the operation failed (see REMOTE_OP_FAILURES), else null. */
  failureClass: z.string().max(32).nullable().default(null),
});

/** The HTTP bodies without `eventId` (which becomes the envelope id), plus the origin. */
export const clearCardEventDataSchema = clearCardBodySchema
  .omit({ eventId: true })
  .extend(deviceOrigin)
  .extend({ remote: remoteOperationSchema.nullable().optional() });
export const reportEventDataSchema = reportBodySchema
  .omit({ eventId: true })
  .extend(deviceOrigin)
  .extend({ remote: remoteOperationSchema.nullable().optional() });
export const monitorEventDataSchema = monitorBodySchema.omit({ eventId: true }).extend(deviceOrigin);

export const deviceActorSchema = z.object({
  kind: z.enum(['person', 'service']),
  subject: z.string().min(1).max(256),
  name: z.string().max(256).nullable(),
});

/**
 * `device.changed` (device.events.v1, keyed by deviceId): the registry's whole view of one device after a change,
 * so that a consumer keeps the newest (`changedAt`, then the envelope's producedAt) and needs no earlier message.
 * Published by the gateway in the same transaction as the change (outbox).
 */
export const deviceChangedEventDataSchema = z.object({
  deviceId: idSchema,
  taxNo: z.string().min(1).max(32),
  branchId: idSchema,
  deviceName: z.string().max(DEVICE_EVENT_NAME_MAX).nullable(),
  deviceNo: deviceNoSchema.nullable(),
  status: z.enum(DEVICE_STATUSES),
  /** The platform (target name) that hosts the device (cloud / hosted device), null for a device on premises. */
  hostedOn: idSchema.nullable(),
  registeredAt: timestampSchema,
  /**
   * The day the tax device was issued to the taxpayer (发行日期), when it is older than its registration here (a
   * fleet registered long after its devices were issued); null when not given: then registeredAt is when it began.
   * Reconcile judges a device for every period that ends after it began.
   */
  activatedOn: localDateSchema.nullable().default(null),
  change: z.enum(DEVICE_CHANGES),
  changedAt: timestampSchema,
  /** Why a person made the change (required by the API for suspend and retire), null otherwise. */
  reason: z.string().max(500).nullable(),
  actor: deviceActorSchema.nullable(),
  /** The device that replaces this one (a reset that registered a replacement), null otherwise. */
  replacedBy: idSchema.nullable().default(null),
});

export type DeviceChangedEventData = z.output<typeof deviceChangedEventDataSchema>;
export type RemoteOperation = z.output<typeof remoteOperationSchema>;
export type ClearCardEventData = z.output<typeof clearCardEventDataSchema>;
export type ReportEventData = z.output<typeof reportEventDataSchema>;
export type MonitorEventData = z.output<typeof monitorEventDataSchema>;
