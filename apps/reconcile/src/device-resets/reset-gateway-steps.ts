import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, Clock, CLOCK, ErrorKind } from '@lib/common';
import { periodStart } from '@lib/domain';
import { DeviceResetRow, replacementNameOf } from './device-reset.model';
import { DeviceResetsRepository, ResetChanges } from './device-resets.repository';
import { GatewayAdminClient, GatewayCallError, GatewayDevice } from './gateway-admin.client';
import { ReconcileErrorCode } from '../reconcile-error-codes';

export const GATEWAY_ADMIN = Symbol('GATEWAY_ADMIN');

/** A replacement registered this long before the repeat's first attempt is still taken to be ours (clocks differ). */
const REPLACEMENT_CLOCK_SKEW_MS = 5 * 60_000;

/** What a step did: its detail (recorded), what it changes on the reset, and the secret to hand out once. */
export type StepResult =
  | {
      ok: true;
      detail: Record<string, unknown>;
      changes?: ResetChanges;
      secret?: { deviceId: string; secret: string };
    }
  | { ok: false; code: string; reason: string; detail: Record<string, unknown>; changes?: ResetChanges };

/**
 * The steps of a reset that change the device, done at the gateway's admin API under the caller's own token (so the
 * gateway judges the person): suspend, rekey (rotate the secret, or register a replacement and retire the device) and
 * resync (let the device, or its replacement, send again). A gateway refusal or outage is a failed step with the
 * gateway's code and a sentence, never an exception.
 */
@Injectable()
export class ResetGatewaySteps {
  constructor(
    private readonly dataSource: DataSource,
    private readonly resets: DeviceResetsRepository,
    @Inject(GATEWAY_ADMIN) private readonly gateway: GatewayAdminClient | null,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The device as the gateway shows it to the caller; its refusal answered with the gateway's own code. */
  async device(token: string, deviceId: string): Promise<GatewayDevice> {
    try {
      return await this.requireGateway().getDevice(token, deviceId);
    } catch (error) {
      throw this.passOn(error, deviceId);
    }
  }

  suspend(reset: DeviceResetRow, token: string): Promise<StepResult> {
    return this.gatewayStep(async () => {
      const device = await this.requireGateway().suspend(
        token,
        reset.deviceId,
        this.changeReason(reset, 'suspended for the reset'),
      );
      return { ok: true, detail: { deviceId: device.deviceId, status: device.status } };
    });
  }

  rekey(reset: DeviceResetRow, token: string): Promise<StepResult> {
    return reset.mode === 'rotate'
      ? this.gatewayStep(() => this.rotate(reset, token))
      : this.replace(reset, token);
  }

  private async rotate(reset: DeviceResetRow, token: string): Promise<StepResult> {
    const rotated = await this.requireGateway().rotateSecret(token, reset.deviceId);
    return {
      ok: true,
      detail: { mode: 'rotate', deviceId: reset.deviceId, secretRotated: true },
      secret: { deviceId: rotated.deviceId, secret: rotated.secret },
    };
  }

  /**
   * Registers a replacement (same taxpayer and branch, "<name> (replacement)") and retires the old device with
   * `replacedBy`. Safe to repeat: before registering, the reset records that it may have registered one; a repeat
   * looks that device up at the gateway instead of registering a second, and hands out a fresh secret of it (the
   * first one was lost with the answer).
   */
  private async replace(reset: DeviceResetRow, token: string): Promise<StepResult> {
    const gateway = this.requireGateway();
    const name = replacementNameOf(reset.deviceName);
    let replacementId = reset.replacementDeviceId;
    let secret: string;
    let how: 'registered' | 'found';
    try {
      if (!replacementId && reset.replacementRequestedAt) {
        const found = await this.lookUpReplacement(reset, name, token);
        if (found.length > 1)
          return {
            ok: false,
            code: 'REPLACEMENT_AMBIGUOUS',
            reason: `${found.length} devices named "${name}" were registered since this reset began (${found.join(', ')}); retire the extra ones at the gateway, then repeat`,
            detail: { candidates: found },
          };
        replacementId = found[0] ?? null;
      }
      if (replacementId) {
        secret = (await gateway.rotateSecret(token, replacementId)).secret;
        how = 'found';
      } else {
        await this.resets.markReplacementRequested(this.dataSource.manager, reset.id, this.clock.now());
        const registered = await gateway.register(token, {
          taxNo: reset.taxNo,
          branchId: reset.branchId,
          name,
        });
        replacementId = registered.deviceId;
        secret = registered.secret;
        how = 'registered';
      }
    } catch (error) {
      const failed = this.gatewayFailure(error);
      if (error instanceof GatewayCallError && error.maybeDone && !replacementId)
        failed.reason += '; repeat the step: it looks the replacement up before registering another';
      return failed;
    }
    const known: ResetChanges = { replacementDeviceId: replacementId };
    try {
      await gateway.retire(
        token,
        reset.deviceId,
        this.changeReason(reset, `replaced by ${replacementId}`),
        replacementId,
      );
    } catch (error) {
      const failed = this.gatewayFailure(error);
      return { ...failed, detail: { ...failed.detail, replacementDeviceId: replacementId }, changes: known };
    }
    return {
      ok: true,
      detail: {
        mode: 'replace',
        replacementDeviceId: replacementId,
        replacementName: name,
        replacement: how,
        retired: reset.deviceId,
      },
      changes: known,
      secret: { deviceId: replacementId, secret },
    };
  }

  /** Devices named `name` of the reset's branch registered since it may have registered one, not taken by another reset. */
  private async lookUpReplacement(reset: DeviceResetRow, name: string, token: string): Promise<string[]> {
    const since = (reset.replacementRequestedAt as Date).getTime() - REPLACEMENT_CLOCK_SKEW_MS;
    const devices = await this.requireGateway().listDevices(token, reset.taxNo, reset.branchId);
    const ids: string[] = [];
    for (const device of devices) {
      if (device.name !== name || device.deviceId === reset.deviceId || device.status === 'retired') continue;
      if (new Date(device.createdAt).getTime() < since) continue;
      if (await this.resets.replacementTaken(this.dataSource.manager, device.deviceId, reset.id)) continue;
      ids.push(device.deviceId);
    }
    return ids;
  }

  /** Re-enables the device (rotate) or checks the replacement is active (replace), and records from when it re-sends. */
  async resync(reset: DeviceResetRow, token: string): Promise<StepResult> {
    // Before the call: whatever the device sends once it is let in counts.
    const resyncFrom = this.clock.now();
    const firstPeriod = reset.backupPeriods?.[0];
    const resendFrom = firstPeriod ? periodStart(firstPeriod).toISOString() : null;
    return this.gatewayStep(async () => {
      const gateway = this.requireGateway();
      if (reset.mode === 'rotate') {
        const device = await gateway.enable(
          token,
          reset.deviceId,
          this.changeReason(reset, 'enabled to re-send its data'),
        );
        return {
          ok: true,
          detail: {
            deviceId: device.deviceId,
            status: device.status,
            resyncFrom: resyncFrom.toISOString(),
            resendFrom,
          },
          changes: { resyncFrom },
        };
      }
      const replacementId = reset.replacementDeviceId as string;
      const device = await gateway.getDevice(token, replacementId);
      if (device.status !== 'active')
        return {
          ok: false,
          code: 'REPLACEMENT_NOT_ACTIVE',
          reason: `the replacement device ${replacementId} is ${device.status}; it must be active to re-send`,
          detail: { deviceId: replacementId, status: device.status },
        };
      return {
        ok: true,
        detail: {
          deviceId: replacementId,
          status: device.status,
          resyncFrom: resyncFrom.toISOString(),
          resendFrom,
        },
        changes: { resyncFrom },
      };
    });
  }

  private async gatewayStep(call: () => Promise<StepResult>): Promise<StepResult> {
    try {
      return await call();
    } catch (error) {
      return this.gatewayFailure(error);
    }
  }

  /** A gateway call that failed, as a failed step: the gateway's own code, and a sentence saying what happened. */
  private gatewayFailure(error: unknown): Extract<StepResult, { ok: false }> {
    if (error instanceof GatewayCallError) {
      const reason =
        error.kind === 'refused'
          ? `the device gateway refused (${error.status} ${error.code}): ${error.message}`
          : `the device gateway is unavailable (${error.code}): ${error.message}`;
      return {
        ok: false,
        code: error.code,
        reason,
        detail: { gateway: { status: error.status, code: error.code, message: error.message } },
      };
    }
    if (error instanceof AppError && error.code === ReconcileErrorCode.GATEWAY_NOT_CONFIGURED)
      return { ok: false, code: error.code, reason: error.message, detail: {} };
    throw error;
  }

  private changeReason(reset: DeviceResetRow, what: string): string {
    return `Device reset ${reset.id}: ${what} (${reset.reason})`.slice(0, 500);
  }

  private requireGateway(): GatewayAdminClient {
    if (!this.gateway)
      throw new AppError(
        ReconcileErrorCode.GATEWAY_NOT_CONFIGURED,
        'unavailable',
        'RECONCILE_GATEWAY_URL is not set: reconcile cannot reach the device gateway',
      );
    return this.gateway;
  }

  /** The gateway's refusal of the caller as this service's answer (same code); its absence as 503. */
  private passOn(error: unknown, deviceId: string): AppError {
    if (!(error instanceof GatewayCallError))
      return error instanceof AppError
        ? error
        : new AppError(ReconcileErrorCode.INTERNAL, 'internal', 'gateway call failed', { cause: error });
    if (error.kind === 'unavailable')
      return new AppError(
        ReconcileErrorCode.GATEWAY_UNAVAILABLE,
        'unavailable',
        `the device gateway is unavailable: ${error.message}`,
        { retryAfterSeconds: 5 },
      );
    if (error.status === 404) return deviceNotFound(deviceId);
    const kind: ErrorKind =
      error.status === 401
        ? 'unauthorized'
        : error.status === 403
          ? 'forbidden'
          : error.status === 429
            ? 'rate_limited'
            : error.status === 409
              ? 'conflict'
              : 'validation';
    return new AppError(error.code, kind, `the device gateway refused: ${error.message}`);
  }
}

export function deviceNotFound(deviceId: string): AppError {
  return new AppError(ReconcileErrorCode.DEVICE_NOT_FOUND, 'not_found', `no device ${deviceId}`);
}
