import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
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
    return this.dataSource.transaction((manager) =>
      this.set(manager, { scope: 'taxpayer', scopeId: taxNo, taxNo }, input, principal),
    );
  }

  /** A device outside the caller's branches answers exactly like an unknown one. */
  forDevice(
    deviceId: string,
    input: { enabled: boolean; reason: string },
    principal: Principal,
  ): Promise<SettingView> {
    return this.dataSource.transaction(async (manager) => {
      const device = await this.devices.find(manager, deviceId, principal.scope);
      if (!device) throw remoteOpsDeviceNotFound(deviceId);
      return this.set(
        manager,
        { scope: 'device', scopeId: deviceId, taxNo: device.taxNo, branchId: device.branchId },
        input,
        principal,
      );
    });
  }

  /** The setting and its audit entry, under the caller's name, in the caller's transaction. */
  private async set(
    manager: EntityManager,
    target: { scope: 'taxpayer' | 'device'; scopeId: string; taxNo: string; branchId?: string },
    input: { enabled: boolean; reason: string },
    principal: Principal,
  ): Promise<SettingView> {
    const at = this.clock.now();
    const actor = actorOf(principal);
    const stored = await this.settings.set(
      manager,
      { scope: target.scope, scopeId: target.scopeId, ...input },
      actor,
      at,
    );
    await this.audit.record(manager, {
      at,
      actor,
      action: `remote-ops.${target.scope}.set`,
      targetType: target.scope,
      targetId: target.scopeId,
      taxNo: target.taxNo,
      ...(target.branchId ? { branchId: target.branchId } : {}),
      reason: input.reason,
      detail: { enabled: input.enabled },
    });
    return settingView(stored, target.taxNo, target.scope === 'device' ? target.scopeId : null);
  }
}
