import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@lib/common';
import { enqueueOutbox } from '@lib/messaging';
import { DeviceChangedMessages } from '../../devices/changes/device-changed.message';
import { DevicesRepository } from '../../devices/devices.repository';

/** Devices announced per transaction: one outbox insert and one update each. */
export const ANNOUNCE_BATCH = 200;

/**
 * Publishes `device.changed` (change `snapshot`) once for every device whose view was never published (registered
 * before the event existed), so that consumers learn the whole registry. Batch by batch, each in a transaction that
 * writes the snapshots to the outbox and marks the devices announced. Rows are taken FOR UPDATE SKIP LOCKED: two
 * replicas starting together share the work instead of announcing a device twice, and an admin change holding a
 * device (which publishes the view itself and marks it announced) is skipped rather than waited for.
 */
@Injectable()
export class AnnounceDevicesUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly devices: DevicesRepository,
    private readonly messages: DeviceChangedMessages,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returns how many devices this call announced. */
  async execute(): Promise<number> {
    let total = 0;
    for (let announced = ANNOUNCE_BATCH; announced === ANNOUNCE_BATCH; total += announced) {
      announced = await this.dataSource.transaction(async (manager) => {
        const devices = await this.devices.lockUnannounced(manager, ANNOUNCE_BATCH);
        if (devices.length === 0) return 0;
        // Read once the rows are locked: a change waiting for one of them will carry a later time.
        const at = this.clock.now();
        await this.devices.markAnnounced(
          manager,
          devices.map((d) => d.deviceId),
          at,
        );
        await enqueueOutbox(
          manager,
          devices.map((device) =>
            this.messages.build(device, { change: 'snapshot', at, reason: device.statusReason, actor: null }),
          ),
        );
        return devices.length;
      });
    }
    return total;
  }
}
