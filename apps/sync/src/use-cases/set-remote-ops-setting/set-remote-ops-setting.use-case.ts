import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { HostedDevicesRepository } from '../../remote-ops/hosted-devices.repository';
import { remoteOpsDeviceNotFound } from '../../remote-ops/remote-ops-errors';
import { RemoteOpsSetting } from '../../remote-ops/remote-ops.model';
import { RemoteOpsSettingsRepository } from '../../remote-ops/remote-ops-settings.repository';

export interface SettingView {
  scope: 'taxpayer' | 'device';
  taxNo: string;
  deviceId: string | null;
  enabled: boolean;
  reason: string;
  updatedBy: { kind: 'person' | 'service'; subject: string; name: string };
  updatedAt: string;
}

function settingView(setting: RemoteOpsSetting, taxNo: string, deviceId: string | null): SettingView {
  return {
    scope: setting.scope,
    taxNo,
    deviceId,
    enabled: setting.enabled,
    reason: setting.reason,
    updatedBy: setting.updatedBy,
    updatedAt: setting.updatedAt.toISOString(),
  };
}

/** Switches a taxpayer's or a device's remote operations on or off; the setting and its audit entry commit together. */
@Injectable()
export class SetRemoteOpsSettingUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: RemoteOpsSettingsRepository,
    private readonly devices: HostedDevicesRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  forTaxpayer(
    taxNo: string,
    input: { enabled: boolean; reason: string },
    principal: Principal,
  ): Promise<SettingView> {
    const at = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const stored = await this.settings.set(
        manager,
        { scope: 'taxpayer', scopeId: taxNo, ...input },
        actor,
        at,
      );
      await this.audit.record(manager, {
        at,
        actor,
        action: 'remote-ops.taxpayer.set',
        targetType: 'taxpayer',
        targetId: taxNo,
        taxNo,
        reason: input.reason,
        detail: { enabled: input.enabled },
      });
      return settingView(stored, taxNo, null);
    });
  }

  /** A device outside the caller's branches answers exactly like an unknown one. */
  forDevice(
    deviceId: string,
    input: { enabled: boolean; reason: string },
    principal: Principal,
  ): Promise<SettingView> {
    const at = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const device = await this.devices.find(manager, deviceId, principal.scope);
      if (!device) throw remoteOpsDeviceNotFound(deviceId);
      const stored = await this.settings.set(
        manager,
        { scope: 'device', scopeId: deviceId, ...input },
        actor,
        at,
      );
      await this.audit.record(manager, {
        at,
        actor,
        action: 'remote-ops.device.set',
        targetType: 'device',
        targetId: deviceId,
        taxNo: device.taxNo,
        branchId: device.branchId,
        reason: input.reason,
        detail: { enabled: input.enabled },
      });
      return settingView(stored, device.taxNo, deviceId);
    });
  }
}
