import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { buildEnvelope, EventDataInput, EventType, ReportTotal, toKafkaMessage, TOPICS } from '@lib/contracts';
import { enqueueOutbox, KAFKA_SETTINGS, KafkaSettings, topicName } from '@lib/messaging';
import { HostedDevice } from './remote-ops.model';
import { OutcomeKey, remoteOpEventId } from './remote-ops.policy';

export interface RemoteCall {
  target: string;
  requestId: string;
}

/** What a failed operation records: our code, the platform's own words, the failure class. */
export interface RecordedFailure {
  errorCode: string;
  errorMessage: string;
  failureClass: string;
}

const ERROR_MESSAGE_MAX = 1000;
const REQUEST_ID_MAX = 128;

/**
 * Writes the events of remote operations (device.report, device.clear-card on device.events.v1, keyed by device id)
 * into the outbox of the caller's transaction, the one that also writes the job's new state. Their origin (device,
 * taxpayer, branch, name, 机器编号) is the device as sync last projected it; their ids are derived from the outcome.
 */
@Injectable()
export class RemoteOpsEvents {
  constructor(@Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings) {}

  async reported(
    manager: EntityManager,
    key: OutcomeKey,
    device: HostedDevice,
    call: RemoteCall,
    answer: { totals: ReportTotal[]; reportedAt: Date },
    now: Date,
  ): Promise<string> {
    return this.enqueue(
      manager,
      'device.report',
      remoteOpEventId(key, 'succeeded'),
      {
        ...this.origin(device, now),
        period: key.period,
        totals: answer.totals,
        remote: { target: call.target, requestId: call.requestId.slice(0, REQUEST_ID_MAX), failureClass: null },
      },
      answer.reportedAt,
      now,
    );
  }

  async cleared(
    manager: EntityManager,
    key: OutcomeKey,
    device: HostedDevice,
    call: RemoteCall,
    clearedAt: Date,
    now: Date,
  ): Promise<string> {
    return this.enqueue(
      manager,
      'device.clear-card',
      remoteOpEventId(key, 'succeeded'),
      {
        ...this.origin(device, now),
        period: key.period,
        status: 'succeeded',
        at: clearedAt.toISOString(),
        errorCode: null,
        errorMessage: null,
        remote: { target: call.target, requestId: call.requestId.slice(0, REQUEST_ID_MAX), failureClass: null },
      },
      clearedAt,
      now,
    );
  }

  /** A failed remote operation, whichever step failed: a CLEAR_CARD_FAILED for reconcile and the notifier. */
  async failed(
    manager: EntityManager,
    key: OutcomeKey,
    device: HostedDevice,
    call: RemoteCall,
    failure: RecordedFailure,
    now: Date,
  ): Promise<string> {
    return this.enqueue(
      manager,
      'device.clear-card',
      remoteOpEventId(key, 'failed'),
      {
        ...this.origin(device, now),
        period: key.period,
        status: 'failed',
        at: now.toISOString(),
        errorCode: failure.errorCode,
        errorMessage: (failure.errorMessage || failure.errorCode).slice(0, ERROR_MESSAGE_MAX),
        remote: {
          target: call.target,
          requestId: call.requestId.slice(0, REQUEST_ID_MAX),
          failureClass: failure.failureClass,
        },
      },
      now,
      now,
    );
  }

  private origin(device: HostedDevice, now: Date) {
    return {
      deviceId: device.deviceId,
      deviceNo: device.deviceNo,
      deviceName: device.deviceName,
      branchId: device.branchId,
      taxNo: device.taxNo,
      receivedAt: now.toISOString(),
    };
  }

  private async enqueue<T extends EventType>(
    manager: EntityManager,
    type: T,
    id: string,
    data: EventDataInput<T>,
    occurredAt: Date,
    now: Date,
  ): Promise<string> {
    const envelope = buildEnvelope(type, data, { id, source: 'sync', occurredAt, producedAt: now });
    const message = toKafkaMessage(envelope);
    await enqueueOutbox(manager, [
      {
        topic: topicName(this.settings, TOPICS.deviceEvents),
        key: message.key,
        eventId: envelope.id,
        eventType: envelope.type,
        payload: message.value,
        headers: message.headers,
      },
    ]);
    return envelope.id;
  }
}
