import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, CLOCK, Clock } from '@lib/common';
import { periodOf, previousPeriod } from '@lib/domain';
import { actorOf, AuditLog, Principal, scopeParam } from '@lib/platform';
import { HostedDevicesRepository } from './hosted-devices.repository';
import { JobEligibility, RemoteOpJobsRepository } from './remote-op-jobs.repository';
import { RemoteOpListState, RemoteOpsSetting, RemoteOpView } from './remote-ops.model';
import { openFilingWindow } from './remote-ops.policy';
import { RemoteOpsSettingsRepository } from './remote-ops-settings.repository';
import { decodeRemoteOpsCursor, encodeRemoteOpsCursor } from './remote-ops.schemas';
import { SyncErrorCode } from '../sync-error-codes';

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

const deviceNotFound = (deviceId: string) =>
  new AppError(SyncErrorCode.DEVICE_NOT_FOUND, 'not_found', `device ${deviceId} is not known to sync`);

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

  forTaxpayer(taxNo: string, input: { enabled: boolean; reason: string }, principal: Principal): Promise<SettingView> {
    const at = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const stored = await this.settings.set(manager, { scope: 'taxpayer', scopeId: taxNo, ...input }, actor, at);
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
  forDevice(deviceId: string, input: { enabled: boolean; reason: string }, principal: Principal): Promise<SettingView> {
    const at = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const device = await this.devices.find(manager, deviceId, principal.scope);
      if (!device) throw deviceNotFound(deviceId);
      const stored = await this.settings.set(manager, { scope: 'device', scopeId: deviceId, ...input }, actor, at);
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

/** The period's hosted devices and their jobs within the caller's branches, one keyset page at a time. */
@Injectable()
export class ListRemoteOpsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: RemoteOpJobsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(
    query: { period?: string; taxNo?: string; state?: RemoteOpListState; cursor?: string; limit: number },
    principal: Principal,
  ): Promise<{ period: string; items: RemoteOpView[]; nextCursor: string | null }> {
    const now = this.clock.now();
    const period = query.period ?? openFilingWindow(now)?.period ?? previousPeriod(periodOf(now));
    const items = await this.jobs.list(this.dataSource.manager, {
      period,
      taxNo: query.taxNo,
      state: query.state,
      afterDeviceId: query.cursor ? decodeRemoteOpsCursor(query.cursor) : undefined,
      limit: query.limit,
      branches: scopeParam(principal.scope),
    });
    const last = items[items.length - 1];
    return {
      period,
      items,
      nextCursor: items.length === query.limit && last ? encodeRemoteOpsCursor(last.deviceId) : null,
    };
  }
}

function ineligibility(e: JobEligibility): { code: SyncErrorCode; message: string } | null {
  if (!e.active) return { code: SyncErrorCode.DEVICE_NOT_ACTIVE, message: 'the device is suspended or retired' };
  if (!e.hosted) return { code: SyncErrorCode.DEVICE_NOT_HOSTED, message: 'the device is not hosted on a platform' };
  if (!e.hasDeviceNo) return { code: SyncErrorCode.DEVICE_NO_REQUIRED, message: 'the device has no 机器编号' };
  if (!e.deviceEnabled || !e.taxpayerEnabled)
    return { code: SyncErrorCode.REMOTE_OPS_DISABLED, message: "remote operations are switched off for the device or its taxpayer" };
  return null;
}

/**
 * A person's retry after fixing what stopped a device's job (offline invoices uploaded, permission granted...): its job
 * of the period in filing is due now and asks the platform first what is done. Audited in the same transaction.
 */
@Injectable()
export class RetryRemoteOpUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly devices: HostedDevicesRepository,
    private readonly jobs: RemoteOpJobsRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute(deviceId: string, reason: string | undefined, principal: Principal): Promise<RemoteOpView> {
    const now = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const device = await this.devices.find(manager, deviceId, principal.scope);
      if (!device) throw deviceNotFound(deviceId);
      const window = openFilingWindow(now);
      if (!window)
        throw new AppError(SyncErrorCode.FILING_WINDOW_CLOSED, 'conflict', 'no filing window is open: nothing to report or clear now');
      const eligibility = await this.jobs.eligibility(manager, deviceId);
      const refused = eligibility && ineligibility(eligibility);
      if (refused) throw new AppError(refused.code, 'conflict', `device ${deviceId}: ${refused.message}`);
      const job = await this.jobs.lockJob(manager, deviceId, window.period);
      if (job?.state === 'cleared')
        throw new AppError(SyncErrorCode.REMOTE_OP_ALREADY_DONE, 'conflict', `device ${deviceId} is already cleared for ${window.period}`);
      if (job?.leasedUntil && job.leasedUntil.getTime() > now.getTime())
        throw new AppError(SyncErrorCode.REMOTE_OP_IN_PROGRESS, 'conflict', `device ${deviceId} is being reported or cleared right now`);
      if (job) await this.jobs.makeDueNow(manager, job.id, now);
      else await this.jobs.createDueNow(manager, deviceId, device.hostedOn ?? '', window.period, now);
      await this.audit.record(manager, {
        at: now,
        actor,
        action: 'remote-ops.retry',
        targetType: 'device',
        targetId: deviceId,
        taxNo: device.taxNo,
        branchId: device.branchId,
        reason: reason ?? null,
        detail: { period: window.period, previousState: job?.state ?? null },
      });
      const [view] = await this.jobs.list(manager, {
        period: window.period,
        deviceId,
        limit: 1,
        branches: null,
      });
      return view;
    });
  }
}
