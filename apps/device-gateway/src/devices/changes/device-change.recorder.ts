import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { DeviceChange } from '@lib/contracts';
import { enqueueOutbox } from '@lib/messaging';
import { Actor, AuditLog } from '@lib/platform';
import { DeviceRecord } from '../device.model';
import { DeviceChangedMessages } from './device-changed.message';
import { DeviceChangesRepository } from './device-changes.repository';

/** The audit log's name of each change a person or service makes (a snapshot is nobody's action). */
const AUDIT_ACTIONS: Record<Exclude<DeviceChange, 'snapshot'>, string> = {
  registered: 'device.register',
  suspended: 'device.suspend',
  enabled: 'device.enable',
  retired: 'device.retire',
  'secret-rotated': 'device.rotate-secret',
  'device-no-set': 'device.set-device-no',
  'hosting-set': 'device.set-hosting',
};

export interface RecordedChange {
  /** The device as the change left it (already written). */
  device: DeviceRecord;
  change: Exclude<DeviceChange, 'snapshot'>;
  at: Date;
  actor: Actor;
  reason: string | null;
  detail?: Record<string, unknown>;
}

/**
 * What every change of a device leaves behind, inside the change's own transaction: its row in device_changes, the
 * audit entry, and `device.changed` in the outbox. The outbox write comes last, as enqueueOutbox asks.
 */
@Injectable()
export class DeviceChangeRecorder {
  constructor(
    private readonly changes: DeviceChangesRepository,
    private readonly audit: AuditLog,
    private readonly messages: DeviceChangedMessages,
  ) {}

  async record(manager: EntityManager, recorded: RecordedChange): Promise<void> {
    const { device, change, at, actor, reason } = recorded;
    const detail = recorded.detail ?? {};
    await this.changes.insert(manager, {
      deviceId: device.deviceId,
      change,
      status: device.status,
      reason,
      actor,
      at,
      detail,
    });
    await this.audit.record(manager, {
      at,
      actor,
      action: AUDIT_ACTIONS[change],
      targetType: 'device',
      targetId: device.deviceId,
      taxNo: device.taxNo,
      branchId: device.branchId,
      reason,
      detail,
    });
    await enqueueOutbox(manager, [this.messages.build(device, { change, at, reason, actor })]);
  }
}
