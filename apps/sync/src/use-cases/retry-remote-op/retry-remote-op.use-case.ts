import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, CLOCK, Clock } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { HostedDevicesRepository } from '../../remote-ops/hosted-devices.repository';
import { JobEligibility, RemoteOpJobsRepository } from '../../remote-ops/remote-op-jobs.repository';
import { remoteOpsDeviceNotFound } from '../../remote-ops/remote-ops-errors';
import { RemoteOpView } from '../../remote-ops/remote-ops.model';
import { openFilingWindow } from '../../remote-ops/remote-ops.policy';
import { SyncErrorCode } from '../../sync-error-codes';

function ineligibility(e: JobEligibility): { code: SyncErrorCode; message: string } | null {
  if (!e.active)
    return { code: SyncErrorCode.DEVICE_NOT_ACTIVE, message: 'the device is suspended or retired' };
  if (!e.hosted)
    return { code: SyncErrorCode.DEVICE_NOT_HOSTED, message: 'the device is not hosted on a platform' };
  if (!e.hasDeviceNo)
    return { code: SyncErrorCode.DEVICE_NO_REQUIRED, message: 'the device has no 机器编号' };
  if (!e.deviceEnabled || !e.taxpayerEnabled)
    return {
      code: SyncErrorCode.REMOTE_OPS_DISABLED,
      message: 'remote operations are switched off for the device or its taxpayer',
    };
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
      if (!device) throw remoteOpsDeviceNotFound(deviceId);
      const window = openFilingWindow(now);
      if (!window)
        throw new AppError(
          SyncErrorCode.FILING_WINDOW_CLOSED,
          'conflict',
          'no filing window is open: nothing to report or clear now',
        );
      const eligibility = await this.jobs.eligibility(manager, deviceId);
      const refused = eligibility && ineligibility(eligibility);
      if (refused) throw new AppError(refused.code, 'conflict', `device ${deviceId}: ${refused.message}`);
      const job = await this.jobs.lockJob(manager, deviceId, window.period);
      if (job?.state === 'cleared')
        throw new AppError(
          SyncErrorCode.REMOTE_OP_ALREADY_DONE,
          'conflict',
          `device ${deviceId} is already cleared for ${window.period}`,
        );
      if (job?.leasedUntil && job.leasedUntil.getTime() > now.getTime())
        throw new AppError(
          SyncErrorCode.REMOTE_OP_IN_PROGRESS,
          'conflict',
          `device ${deviceId} is being reported or cleared right now`,
        );
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
