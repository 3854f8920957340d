import { z } from 'zod';
import { timestampSchema, uuidSchema } from '../schemas/primitives.schema';
import { EventData, EventType, TopicEventType } from './event.catalogue';
import { Topic } from './topics.constants';

/** The common envelope of every Kafka message. `data` is checked against the schema of `type` afterwards. */
export const envelopeSchema = z.object({
  id: uuidSchema,
  type: z.string().min(1).max(100),
  version: z.number().int().min(1),
  occurredAt: timestampSchema,
  producedAt: timestampSchema,
  /** The producing service, e.g. `device-gateway`. */
  source: z.string().min(1).max(100),
  data: z
    .unknown()
    .refine((value) => value !== undefined, { message: 'is required', params: { code: 'REQUIRED' } }),
});

export type RawEnvelope = z.output<typeof envelopeSchema>;

export type EventEnvelope<T extends EventType = EventType> = T extends EventType
  ? {
      id: string;
      type: T;
      version: number;
      occurredAt: string;
      producedAt: string;
      source: string;
      data: EventData<T>;
    }
  : never;

export type TopicEnvelope<P extends Topic> = EventEnvelope<TopicEventType<P>>;
