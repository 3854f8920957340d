import { z } from 'zod';
import {
  clearCardEventDataSchema,
  deviceChangedEventDataSchema,
  monitorEventDataSchema,
  reportEventDataSchema,
} from '../events/device-events.schema';
import { findingChangedSchema } from '../events/finding-events.schema';
import { maintenanceChangedSchema } from '../events/maintenance-events.schema';
import { invoiceEventDataSchema } from '../events/invoice-events.schema';
import { reuploadCommandSchema, syncResultSchema } from '../events/sync-events.schema';
import { Topic, TOPICS } from './topics.constants';

interface CatalogueEntry<T extends Topic, S extends z.ZodType> {
  topic: T;
  version: number;
  data: S;
  /** The partition key of a message (see PARTITION_KEY_RULES). */
  key: (data: z.output<S>) => string;
}

function entry<T extends Topic, S extends z.ZodType>(
  topic: T,
  data: S,
  key: (data: z.output<S>) => string,
): CatalogueEntry<T, S> {
  return { topic, version: 1, data, key };
}

/** Every event type: its topic, current version, data schema and partition key. */
export const EVENT_CATALOGUE = {
  'invoice.issued': entry(TOPICS.invoiceEvents, invoiceEventDataSchema, (d) => d.invoiceKey),
  'invoice.red-issued': entry(TOPICS.invoiceEvents, invoiceEventDataSchema, (d) => d.invoiceKey),
  'invoice.voided': entry(TOPICS.invoiceEvents, invoiceEventDataSchema, (d) => d.invoiceKey),
  'device.clear-card': entry(TOPICS.deviceEvents, clearCardEventDataSchema, (d) => d.deviceId),
  'device.report': entry(TOPICS.deviceEvents, reportEventDataSchema, (d) => d.deviceId),
  'device.monitor': entry(TOPICS.deviceEvents, monitorEventDataSchema, (d) => d.deviceId),
  'device.changed': entry(TOPICS.deviceEvents, deviceChangedEventDataSchema, (d) => d.deviceId),
  'sync.reupload': entry(TOPICS.syncCommands, reuploadCommandSchema, (d) => d.invoiceKey),
  'sync.result': entry(TOPICS.syncResults, syncResultSchema, (d) => d.invoiceKey),
  'reconcile.finding-changed': entry(TOPICS.reconcileFindings, findingChangedSchema, (d) => d.taxNo),
  'maintenance.changed': entry(TOPICS.reconcileMaintenance, maintenanceChangedSchema, (d) => d.windowId),
} as const;

type Catalogue = typeof EVENT_CATALOGUE;
export type EventType = keyof Catalogue;
export type EventData<T extends EventType> = z.output<Catalogue[T]['data']>;
/** Data as a producer may write it (defaults not yet applied). */
export type EventDataInput<T extends EventType> = z.input<Catalogue[T]['data']>;
export type TopicEventType<P extends Topic> = {
  [K in EventType]: Catalogue[K]['topic'] extends P ? K : never;
}[EventType];

export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, value);
}

export function eventTypesOf<P extends Topic>(topic: P): TopicEventType<P>[] {
  return EVENT_TYPES.filter((type) => EVENT_CATALOGUE[type].topic === topic) as TopicEventType<P>[];
}

export function topicOf(type: EventType): Topic {
  return EVENT_CATALOGUE[type].topic;
}

/** The catalogue entry with its generic types erased, for code that handles any event type. */
export function catalogueEntry(type: EventType): CatalogueEntry<Topic, z.ZodType> {
  return EVENT_CATALOGUE[type] as unknown as CatalogueEntry<Topic, z.ZodType>;
}
