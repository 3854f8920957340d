import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '@lib/common';
import { actorOf, Principal } from '@lib/platform';
import { DeviceDirectory } from '../device-directory';
import { deviceNotFound } from '../device-errors';
import { DeviceRecord } from '../device.model';
import { DevicesRepository } from '../devices.repository';
import { DeviceChangeRecorder, RecordedChange } from './device-change.recorder';

/** What a change makes of the locked device; `next` needs no updatedAt, updatedBy or announcedAt, set here. */
export interface ChangeDecision {
  next: DeviceRecord;
  change: RecordedChange['change'];
  reason: string | null;
  detail?: Record<string, unknown>;
}

/** Decides a change from the device as it is now; null when it already is as asked; throws to refuse. */
export type DecideChange = (device: DeviceRecord, at: Date) => ChangeDecision | null;

export interface ChangeOutcome {
  device: DeviceRecord;
  /** False when the device already was as asked: nothing was written. */
  changed: boolean;
}

/**
 * Runs one admin change of one device in one transaction: lock the device (within the caller's branches, else 404),
 * decide, write the device, record the change (device_changes, audit log, device.changed). The time is read once the
 * lock is held, so the changes of a device (and its snapshot) carry increasing times in commit order, which is what
 * a consumer keeping the newest `changedAt` needs. This replica's directory forgets the device after the commit.
 */
@Injectable()
export class DeviceChangeRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly devices: DevicesRepository,
    private readonly recorder: DeviceChangeRecorder,
    private readonly directory: DeviceDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(deviceId: string, principal: Principal, decide: DecideChange): Promise<ChangeOutcome> {
    const actor = actorOf(principal);
    const outcome = await this.dataSource.transaction(async (manager): Promise<ChangeOutcome> => {
      const current = await this.devices.lockById(manager, deviceId, principal.scope);
      if (!current) throw deviceNotFound(deviceId);
      const at = this.clock.now();
      const decision = decide(current, at);
      if (!decision) return { device: current, changed: false };
      const device: DeviceRecord = {
        ...decision.next,
        updatedAt: at,
        updatedBy: actor,
        announcedAt: current.announcedAt ?? at,
      };
      await this.devices.save(manager, device);
      await this.recorder.record(manager, {
        device,
        change: decision.change,
        at,
        actor,
        reason: decision.reason,
        detail: decision.detail,
      });
      return { device, changed: true };
    });
    if (outcome.changed) this.directory.invalidate(deviceId);
    return outcome;
  }
}
