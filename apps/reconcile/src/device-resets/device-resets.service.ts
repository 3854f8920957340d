import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, Clock, CLOCK, ErrorKind } from '@lib/common';
import { periodStart } from '@lib/domain';
import { actorOf, AuditLog, inScope, Principal } from '@lib/platform';
import { decodeCursor, pageOf, UUID_ID } from '../http/keyset-cursor';
import {
  DeviceResetRow,
  DeviceResetView,
  ENDED_STATES,
  nextStepOf,
  replacementNameOf,
  ResetMode,
  ResetState,
  ResetStep,
  stateAfter,
  toResetView,
} from './device-reset.model';
import { DeviceResetsRepository, ResetChanges } from './device-resets.repository';
import { GatewayAdminClient, GatewayCallError, GatewayDevice } from './gateway-admin.client';
import { ResetVerification } from './reset-verification';

export const GATEWAY_ADMIN = Symbol('GATEWAY_ADMIN');
export const DEVICE_RESET_SETTINGS = Symbol('DEVICE_RESET_SETTINGS');

export interface DeviceResetSettings {
  /** A step's claim older than this is taken to be abandoned (its process died); longer than any gateway call. */
  stepLeaseMs: number;
}

/** A replacement registered this long before the repeat's first attempt is still taken to be ours (clocks differ). */
const REPLACEMENT_CLOCK_SKEW_MS = 5 * 60_000;

/** What a step did: its detail (recorded), what it changes on the reset, and the secret to hand out once. */
type StepResult =
  | {
      ok: true;
      detail: Record<string, unknown>;
      changes?: ResetChanges;
      secret?: { deviceId: string; secret: string };
    }
  | { ok: false; code: string; reason: string; detail: Record<string, unknown>; changes?: ResetChanges };

export interface StepAnswer {
  reset: DeviceResetView;
  /** `rekey` only: the device's (or the replacement's) new secret, shown in this answer and nowhere else. */
  secret?: { deviceId: string; secret: string };
}

/**
 * The guided reset of a device (清盘 / 重置): created for a device the caller may manage, then walked through its steps
 * in order, each recorded (who, when, outcome, detail) with an audit entry in the same transaction. The steps that
 * change the device call the gateway's admin API under the caller's own token, so the gateway judges the person.
 */
@Injectable()
export class DeviceResetsService {
  private readonly logger = new Logger('DeviceResets');

  constructor(
    private readonly dataSource: DataSource,
    private readonly resets: DeviceResetsRepository,
    private readonly verification: ResetVerification,
    private readonly audit: AuditLog,
    @Inject(GATEWAY_ADMIN) private readonly gateway: GatewayAdminClient | null,
    @Inject(DEVICE_RESET_SETTINGS) private readonly settings: DeviceResetSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(
    input: { deviceId: string; reason: string; mode: ResetMode },
    principal: Principal,
    token: string,
  ): Promise<DeviceResetView> {
    const gateway = this.requireGateway();
    let device: GatewayDevice;
    try {
      device = await gateway.getDevice(token, input.deviceId);
    } catch (error) {
      throw this.passOn(error, input.deviceId);
    }
    if (!inScope(principal.scope, device.branchId)) throw deviceNotFound(input.deviceId);
    if (device.status === 'retired')
      throw new AppError(
        'DEVICE_RETIRED',
        'conflict',
        `device ${device.deviceId} is retired: it cannot be reset`,
      );
    const actor = actorOf(principal);
    const at = this.clock.now();
    const created = await this.dataSource.transaction(async (m) => {
      const row = await this.resets.insert(m, {
        id: randomUUID(),
        deviceId: device.deviceId,
        deviceName: device.name,
        taxNo: device.taxNo,
        branchId: device.branchId,
        mode: input.mode,
        reason: input.reason,
        actor,
        at,
      });
      if (!row) return null;
      await this.audit.record(m, {
        at,
        actor,
        action: 'device-reset.create',
        targetType: 'device-reset',
        targetId: row.id,
        taxNo: row.taxNo,
        branchId: row.branchId,
        reason: input.reason,
        detail: { deviceId: row.deviceId, mode: row.mode },
      });
      return row;
    });
    if (!created) {
      const open = await this.resets.openResetOf(this.dataSource.manager, device.deviceId);
      throw new AppError(
        'RESET_ALREADY_OPEN',
        'conflict',
        `device ${device.deviceId} already has an open reset`,
        {
          details: [{ code: 'OPEN_RESET', field: 'deviceId', message: open ?? 'unknown' }],
        },
      );
    }
    this.logger.log(
      { resetId: created.id, deviceId: created.deviceId, mode: created.mode, by: actor.subject },
      'device reset started',
    );
    return toResetView(created, []);
  }

  async list(
    scope: Principal['scope'],
    q: { deviceId?: string; state?: ResetState; cursor?: string; limit: number },
  ) {
    const after = q.cursor ? decodeCursor(q.cursor, UUID_ID) : null;
    const rows = await this.resets.list(this.dataSource.manager, scope, {
      deviceId: q.deviceId,
      state: q.state,
      after: after ? { createdAt: new Date(after.at), id: after.id } : undefined,
      limit: q.limit + 1,
    });
    const page = pageOf(rows, q.limit, (last) => [last.createdAt.toISOString(), last.id]);
    return { items: page.items.map((row) => toResetView(row)), nextCursor: page.nextCursor };
  }

  async get(id: string, scope: Principal['scope']): Promise<DeviceResetView> {
    const row = await this.resets.find(this.dataSource.manager, id, scope);
    if (!row) throw resetNotFound(id);
    return toResetView(row, await this.resets.steps(this.dataSource.manager, id));
  }

  /** Performs the reset's next step, which must be `step`; a failure is recorded and answered 409 RESET_STEP_FAILED. */
  async performStep(
    id: string,
    step: ResetStep,
    note: string | undefined,
    principal: Principal,
    token: string,
  ): Promise<StepAnswer> {
    const found = await this.resets.find(this.dataSource.manager, id, principal.scope);
    if (!found) throw resetNotFound(id);
    if (step === 'backup' && found.state === 'backup')
      throw new AppError(
        'RESET_BACKUP_BY_DOWNLOAD',
        'conflict',
        `the backup step is completed by downloading GET /v1/device-resets/${id}/backup.csv`,
      );
    checkOrder(found, step);
    const reset = await this.claim(found, step);
    let result: StepResult;
    try {
      result = await this.run(step, reset, token);
    } catch (error) {
      await this.resets.release(this.dataSource.manager, id);
      throw error;
    }
    const actor = actorOf(principal);
    const detail = { ...result.detail, ...(note ? { note } : {}) };
    const at = this.clock.now();
    const updated = await this.dataSource.transaction(async (m) => {
      await this.resets.recordStep(m, id, step, result.ok ? 'succeeded' : 'failed', detail, actor, at);
      await this.audit.record(m, {
        at,
        actor,
        action: `device-reset.${step}`,
        targetType: 'device-reset',
        targetId: id,
        taxNo: reset.taxNo,
        branchId: reset.branchId,
        reason: result.ok ? (note ?? null) : result.reason,
        detail: { deviceId: reset.deviceId, outcome: result.ok ? 'succeeded' : 'failed', ...detail },
      });
      const changes: ResetChanges = result.ok
        ? { ...result.changes, state: stateAfter(step), ...(step === 'closed' ? { ended: at } : {}) }
        : (result.changes ?? {});
      return this.resets.update(m, id, changes, at);
    });
    this.logger.log(
      {
        resetId: id,
        step,
        outcome: result.ok ? 'succeeded' : 'failed',
        code: result.ok ? undefined : result.code,
        by: actor.subject,
      },
      'device reset step',
    );
    if (!result.ok)
      throw new AppError('RESET_STEP_FAILED', 'conflict', `${step} failed: ${result.reason}`, {
        details: [{ code: result.code, field: step, message: result.reason }],
      });
    const view = toResetView(updated, await this.resets.steps(this.dataSource.manager, id));
    return result.secret ? { reset: view, secret: result.secret } : { reset: view };
  }

  async cancel(id: string, reason: string, principal: Principal): Promise<DeviceResetView> {
    const found = await this.resets.find(this.dataSource.manager, id, principal.scope);
    if (!found) throw resetNotFound(id);
    if (ENDED_STATES.includes(found.state)) throw resetEnded(found);
    const reset = await this.claim(found, 'cancelled');
    const actor = actorOf(principal);
    const at = this.clock.now();
    const updated = await this.dataSource.transaction(async (m) => {
      await this.resets.recordStep(
        m,
        id,
        'cancelled',
        'succeeded',
        { reason, cancelledAt: reset.state },
        actor,
        at,
      );
      await this.audit.record(m, {
        at,
        actor,
        action: 'device-reset.cancel',
        targetType: 'device-reset',
        targetId: id,
        taxNo: reset.taxNo,
        branchId: reset.branchId,
        reason,
        detail: { deviceId: reset.deviceId, cancelledAt: reset.state },
      });
      return this.resets.update(m, id, { state: 'cancelled', ended: at }, at);
    });
    return toResetView(updated, await this.resets.steps(this.dataSource.manager, id));
  }

  /** Takes the reset for this request (no other step may run meanwhile), or says why not. */
  private async claim(reset: DeviceResetRow, step: ResetStep | 'cancelled'): Promise<DeviceResetRow> {
    const now = this.clock.now();
    const stale = new Date(now.getTime() - this.settings.stepLeaseMs);
    const claimed = await this.resets.claim(this.dataSource.manager, reset.id, reset.state, step, now, stale);
    if (claimed) return claimed;
    const current = await this.resets.find(this.dataSource.manager, reset.id, { all: true });
    if (current && current.state !== reset.state) {
      if (step === 'cancelled') {
        if (ENDED_STATES.includes(current.state)) throw resetEnded(current);
      } else {
        checkOrder(current, step);
      }
    }
    throw new AppError(
      'RESET_STEP_IN_PROGRESS',
      'conflict',
      `another request is performing the ${current?.stepInProgress ?? 'current'} step of reset ${reset.id}; try again when it has finished`,
    );
  }

  private async run(step: ResetStep, reset: DeviceResetRow, token: string): Promise<StepResult> {
    switch (step) {
      case 'backup':
        return {
          ok: false,
          code: 'RESET_BACKUP_BY_DOWNLOAD',
          reason: 'the backup is taken by downloading backup.csv',
          detail: {},
        };
      case 'suspend':
        return this.gatewayStep(() => this.suspend(reset, token));
      case 'rekey':
        return reset.mode === 'rotate'
          ? this.gatewayStep(() => this.rotate(reset, token))
          : this.replace(reset, token);
      case 'resync':
        return this.resync(reset, token);
      case 'verify':
        return this.verify(reset);
      case 'closed':
        return { ok: true, detail: { closedAfter: 'verify' } };
    }
  }

  private async suspend(reset: DeviceResetRow, token: string): Promise<StepResult> {
    const device = await this.requireGateway().suspend(
      token,
      reset.deviceId,
      this.changeReason(reset, 'suspended for the reset'),
    );
    return { ok: true, detail: { deviceId: device.deviceId, status: device.status } };
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
  private async resync(reset: DeviceResetRow, token: string): Promise<StepResult> {
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

  private async verify(reset: DeviceResetRow): Promise<StepResult> {
    const checks = await this.verification.verify(this.dataSource.manager, reset);
    const failing = checks.filter((c) => !c.ok);
    if (failing.length === 0) return { ok: true, detail: { checks } };
    return {
      ok: false,
      code: 'RESET_NOT_VERIFIED',
      reason: failing.map((c) => c.detail).join('; '),
      detail: { checks, failed: failing.map((c) => c.check) },
    };
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
    if (error instanceof AppError && error.code === 'GATEWAY_NOT_CONFIGURED')
      return { ok: false, code: error.code, reason: error.message, detail: {} };
    throw error;
  }

  private changeReason(reset: DeviceResetRow, what: string): string {
    return `Device reset ${reset.id}: ${what} (${reset.reason})`.slice(0, 500);
  }

  private requireGateway(): GatewayAdminClient {
    if (!this.gateway)
      throw new AppError(
        'GATEWAY_NOT_CONFIGURED',
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
        : new AppError('INTERNAL', 'internal', 'gateway call failed', { cause: error });
    if (error.kind === 'unavailable')
      return new AppError(
        'GATEWAY_UNAVAILABLE',
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

function checkOrder(reset: DeviceResetRow, step: ResetStep): void {
  if (ENDED_STATES.includes(reset.state)) throw resetEnded(reset);
  const expected = nextStepOf(reset.state);
  if (step !== expected)
    throw new AppError(
      'RESET_STEP_OUT_OF_ORDER',
      'conflict',
      `reset ${reset.id} is at step ${expected}: ${step} cannot be performed now`,
      { details: [{ code: 'EXPECTED_STEP', field: 'step', message: String(expected) }] },
    );
}

function resetEnded(reset: DeviceResetRow): AppError {
  return new AppError('RESET_ENDED', 'conflict', `reset ${reset.id} is ${reset.state}`);
}

function resetNotFound(id: string): AppError {
  return new AppError('RESET_NOT_FOUND', 'not_found', `no device reset ${id}`);
}

function deviceNotFound(deviceId: string): AppError {
  return new AppError('DEVICE_NOT_FOUND', 'not_found', `no device ${deviceId}`);
}
