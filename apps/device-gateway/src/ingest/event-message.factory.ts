import { Inject, Injectable } from '@nestjs/common';
import {
  buildEnvelope,
  catalogueEntry,
  childTraceparent,
  EventData,
  EventDataInput,
  EventEnvelope,
  EventType,
  FieldError,
  invoiceEventTypeOf,
  toKafkaMessage,
  topicOf,
} from '@lib/contracts';
import { KAFKA_SETTINGS, KafkaSettings, OutboxMessage, topicName } from '@lib/messaging';
import { DevicePrincipal } from '../auth/device-principal';
import { GATEWAY_SOURCE } from '../shared/event-source';
import { ValidInvoice } from './invoice-batch.validator';

/**
 * Turns accepted input into outbox rows carrying the contracts' envelope: the client's eventId as the envelope id,
 * the partition key by the topic's rule (invoice key, deviceId), headers event-id, event-type and traceparent (a
 * child of the caller's, or a new trace).
 *
 * Invoices are the hot path: their data is assembled from an item the same contracts schema has just validated, so
 * the envelope is built directly instead of through buildEnvelope, whose second validation cost as much CPU as the
 * first (event-message.factory.spec.ts proves parseEnvelope accepts what comes out). Device events, rare and
 * cheap, still go through buildEnvelope.
 */
@Injectable()
export class EventMessageFactory {
  constructor(@Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings) {}

  /** One traceparent per request: every message of a request belongs to the same trace. */
  traceparentFor(device: DevicePrincipal): string {
    return childTraceparent(device.traceparent);
  }

  invoice(
    valid: ValidInvoice,
    device: DevicePrincipal,
    warnings: FieldError[],
    traceparent: string,
  ): OutboxMessage {
    const { item } = valid;
    const receivedAt = device.receivedAt.toISOString();
    const type = invoiceEventTypeOf(item.kind);
    const data: EventData<typeof type> = {
      invoiceKey: valid.invoiceKey,
      invoice: item.invoice,
      deviceId: device.deviceId,
      branchId: device.branchId,
      taxNo: device.taxNo,
      receivedAt,
      // In the event, paths are relative to the event data, not to the request.
      warnings: warnings.map((w) => ({ ...w, field: w.field.replace(/^invoices\[\d+\]\./, '') })),
    };
    const envelope = {
      id: valid.id,
      type,
      version: catalogueEntry(type).version,
      // A void happens when it is reported; an issue (blue or red) when the invoice says.
      occurredAt: item.kind === 'voided' ? receivedAt : item.invoice.issuedAt,
      producedAt: receivedAt,
      source: GATEWAY_SOURCE,
      data,
    } as EventEnvelope<typeof type>;
    return this.toOutbox(envelope, traceparent);
  }

  deviceEvent<T extends EventType>(
    type: T,
    data: EventDataInput<T>,
    id: string,
    occurredAt: string,
    device: DevicePrincipal,
    traceparent: string,
  ): OutboxMessage {
    const envelope = buildEnvelope(type, data, {
      source: GATEWAY_SOURCE,
      id,
      occurredAt,
      producedAt: device.receivedAt,
    });
    return this.toOutbox(envelope, traceparent);
  }

  private toOutbox(envelope: EventEnvelope, traceparent: string): OutboxMessage {
    const message = toKafkaMessage(envelope, traceparent);
    return {
      topic: topicName(this.settings, topicOf(envelope.type)),
      key: message.key,
      eventId: envelope.id,
      eventType: envelope.type,
      payload: message.value,
      headers: message.headers,
    };
  }
}
