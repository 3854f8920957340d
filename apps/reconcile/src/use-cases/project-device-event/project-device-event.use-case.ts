import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TOPICS, TopicEnvelope } from '@lib/contracts';
import { DeviceProjectionRepository } from '../../projections/device-projection.repository';

/**
 * Records one device event (clear-card, 抄报 report, monitor reading, or the registry's `device.changed`) and the
 * device's authority number and name it carries. Replays are harmless: each write keeps the newest.
 */
@Injectable()
export class ProjectDeviceEventUseCase {
  constructor(private readonly devices: DeviceProjectionRepository) {}

  async execute(manager: EntityManager, envelope: TopicEnvelope<typeof TOPICS.deviceEvents>): Promise<void> {
    if (envelope.type === 'device.changed') {
      const d = envelope.data;
      await this.devices.recordRegistry(manager, envelope.id, new Date(envelope.producedAt), d);
      // the registry's name and 机器编号 as of the change, like any device event's (the newer of the two wins)
      return this.devices.recordDeviceNo(manager, envelope.id, {
        deviceId: d.deviceId,
        taxNo: d.taxNo,
        deviceNo: d.deviceNo,
        deviceName: d.deviceName,
        receivedAt: d.changedAt,
      });
    }
    await this.devices.recordDeviceNo(manager, envelope.id, envelope.data);
    switch (envelope.type) {
      case 'device.clear-card':
        return this.devices.recordClearCard(manager, envelope.id, envelope.data);
      case 'device.report':
        return this.devices.recordReport(manager, envelope.id, envelope.data, new Date(envelope.occurredAt));
      case 'device.monitor':
        return this.devices.recordMonitor(manager, envelope.id, envelope.data);
    }
  }
}
