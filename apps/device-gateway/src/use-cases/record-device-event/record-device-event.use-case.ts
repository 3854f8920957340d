import { Injectable } from '@nestjs/common';
import { AppError } from '@lib/common';
import { EventDataInput, parseBody } from '@lib/contracts';
import { enqueueOutbox } from '@lib/messaging';
import { GatewayMetrics } from '../../metrics/gateway-metrics';
import { DeviceWriteTransaction } from '../../auth/device-write.transaction';
import { eventDeviceName } from '../../shared/event-device-name';
import { contentFingerprint } from '../../ingest/content-fingerprint';
import { EventMessageFactory } from '../../ingest/event-message.factory';
import { IdempotencyRepository } from '../../ingest/idempotency.repository';
import { INGEST_MESSAGES } from '../../ingest/ingest-errors';
import { DEVICE_EVENT_KINDS } from './device-event.kinds';
import { DeviceEventStatus, RecordDeviceEventCommand } from './record-device-event.command';
import { GatewayErrorCode } from '../../gateway-error-codes';

/**
 * Clear-card results, monthly summaries and monitor readings: validated by the contracts' schema, de-duplicated on
 * eventId exactly like invoices, and written with an outbox row to device.events.v1 (keyed by deviceId) in the
 * transaction that consumes the nonce.
 */
@Injectable()
export class RecordDeviceEventUseCase {
  constructor(
    private readonly transaction: DeviceWriteTransaction,
    private readonly records: IdempotencyRepository,
    private readonly messages: EventMessageFactory,
    private readonly metrics: GatewayMetrics,
  ) {}

  async execute({ device, pathDeviceId, kind, body }: RecordDeviceEventCommand): Promise<DeviceEventStatus> {
    if (pathDeviceId !== device.deviceId) {
      throw new AppError(
        GatewayErrorCode.DEVICE_MISMATCH,
        'forbidden',
        'the path names another device than X-Device-Id',
      );
    }
    const spec = DEVICE_EVENT_KINDS[kind];
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AppError(GatewayErrorCode.INVALID_BODY, 'validation', 'the body must be a JSON object');
    }
    const parsed = parseBody(spec.schema, body);
    if (!parsed.ok) {
      this.metrics.validation(parsed.errors, 'error');
      throw new AppError(GatewayErrorCode.VALIDATION_FAILED, 'validation', `the ${kind} body is invalid`, {
        details: parsed.errors,
      });
    }
    const { eventId, ...report } = parsed.value;
    const id = eventId.toLowerCase();
    const hash = contentFingerprint({ type: spec.type, report });
    const receivedAt = device.receivedAt.toISOString();
    const status = await this.transaction.run(device, async (manager) => {
      const taken = await this.records.claimEvents(manager, [
        {
          eventId: id,
          eventType: spec.type,
          deviceId: device.deviceId,
          hash,
          invoiceKey: null,
          receivedAt: device.receivedAt,
        },
      ]);
      const stored = taken.get(id);
      if (stored) return stored.equals(hash) ? 'duplicate' : 'conflict';
      const data = {
        ...report,
        deviceId: device.deviceId,
        deviceNo: device.deviceNo,
        deviceName: eventDeviceName(device.deviceName),
        branchId: device.branchId,
        taxNo: device.taxNo,
        receivedAt,
      };
      const occurredAt = spec.occurredAt(report as { at?: string }) ?? receivedAt;
      const traceparent = this.messages.traceparentFor(device);
      await enqueueOutbox(manager, [
        this.messages.deviceEvent(
          spec.type,
          data as EventDataInput<typeof spec.type>,
          id,
          occurredAt,
          device,
          traceparent,
        ),
      ]);
      return 'accepted';
    });
    this.metrics.deviceEvent(spec.type, status);
    if (status === 'conflict')
      throw new AppError(
        GatewayErrorCode.IDEMPOTENCY_CONFLICT,
        'conflict',
        INGEST_MESSAGES[GatewayErrorCode.IDEMPOTENCY_CONFLICT],
      );
    return status;
  }
}
