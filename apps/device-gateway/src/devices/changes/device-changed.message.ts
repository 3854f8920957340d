import { Inject, Injectable } from '@nestjs/common';
import { ID_SOURCE, IdSource } from '@lib/common';
import {
  buildEnvelope,
  DeviceChange,
  DeviceChangedEventData,
  generateTraceparent,
  toKafkaMessage,
  topicOf,
} from '@lib/contracts';
import { KAFKA_SETTINGS, KafkaSettings, OutboxMessage, topicName } from '@lib/messaging';
import type { Actor } from '@lib/platform';
import { eventDeviceName } from '../../shared/event-device-name';
import { GATEWAY_SOURCE } from '../../shared/event-source';
import { DeviceRecord } from '../device.model';

/** The contract's bound on an actor's subject and name. */
const ACTOR_TEXT_MAX = 256;

export interface DeviceChangedFacts {
  change: DeviceChange;
  at: Date;
  reason: string | null;
  /** Null for a snapshot, which nobody made. */
  actor: Actor | null;
}

/**
 * `device.changed` as an outbox row: the registry's whole view of the device after the change, keyed by deviceId.
 * The envelope is validated against the catalogue here, so a view its consumers would reject never commits.
 */
@Injectable()
export class DeviceChangedMessages {
  constructor(
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  build(device: DeviceRecord, facts: DeviceChangedFacts): OutboxMessage {
    const envelope = buildEnvelope('device.changed', deviceChangedData(device, facts), {
      source: GATEWAY_SOURCE,
      id: this.ids.uuid(),
      occurredAt: facts.at,
      producedAt: facts.at,
    });
    const message = toKafkaMessage(envelope, generateTraceparent());
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

export function deviceChangedData(device: DeviceRecord, facts: DeviceChangedFacts): DeviceChangedEventData {
  const { actor } = facts;
  return {
    deviceId: device.deviceId,
    taxNo: device.taxNo,
    branchId: device.branchId,
    deviceName: eventDeviceName(device.name),
    deviceNo: device.deviceNo,
    status: device.status,
    hostedOn: device.hostedOn,
    registeredAt: device.createdAt.toISOString(),
    activatedOn: device.activatedOn,
    change: facts.change,
    changedAt: facts.at.toISOString(),
    reason: facts.reason,
    actor: actor && {
      kind: actor.kind,
      subject: actor.subject.slice(0, ACTOR_TEXT_MAX),
      name: actor.name.slice(0, ACTOR_TEXT_MAX) || null,
    },
    replacedBy: device.replacedBy,
  };
}
