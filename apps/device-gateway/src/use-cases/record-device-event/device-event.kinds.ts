import { z } from 'zod';
import { clearCardBodySchema, DEVICE_EVENT_TYPES, monitorBodySchema } from '@lib/contracts';
import { storableReportBodySchema } from './storable-report.schema';

/** The three device endpoints: body schema (contracts), event type, and when the reported thing happened. */
export const DEVICE_EVENT_KINDS = {
  'clear-card': {
    type: DEVICE_EVENT_TYPES.clearCard,
    schema: clearCardBodySchema,
    occurredAt: (body: { at?: string }) => body.at,
  },
  reports: {
    type: DEVICE_EVENT_TYPES.report,
    schema: storableReportBodySchema,
    // A monthly summary carries no instant of its own: it happened when it was reported.
    occurredAt: () => undefined,
  },
  monitor: {
    type: DEVICE_EVENT_TYPES.monitor,
    schema: monitorBodySchema,
    occurredAt: (body: { at?: string }) => body.at,
  },
} as const satisfies Record<
  string,
  { type: string; schema: z.ZodType; occurredAt: (body: { at?: string }) => string | undefined }
>;

export type DeviceEventKind = keyof typeof DEVICE_EVENT_KINDS;
