import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, Clock, CLOCK, ID_SOURCE, IdSource } from '@lib/common';
import { actorOf, AuditLog, inScope, Principal } from '@lib/platform';
import { decodeCursor, pageOf, UUID_ID } from '../persistence/keyset-cursor';
import {
  DeviceResetRow,
  DeviceResetView,
  ENDED_STATES,
  nextStepOf,
  ResetMode,
  ResetState,
  ResetStep,
  stateAfter,
  toResetView,
} from './device-reset.model';
import { DeviceResetsRepository, ResetChanges } from './device-resets.repository';
import { deviceNotFound, ResetGatewaySteps, StepResult } from './reset-gateway-steps';
import { ResetVerification } from './reset-verification';
import { ReconcileErrorCode } from '../reconcile-error-codes';

export const DEVICE_RESET_SETTINGS = Symbol('DEVICE_RESET_SETTINGS');

export interface DeviceResetSettings {
  /** A step's claim older than this is taken to be abandoned (its process died); longer than any gateway call. */
  stepLeaseMs: number;
}

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
    private readonly gateway: ResetGatewaySteps,
    @Inject(DEVICE_RESET_SETTINGS) private readonly settings: DeviceResetSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  async create(
    input: { deviceId: string; reason: string; mode: ResetMode },
    principal: Principal,
    token: string,
  ): Promise<DeviceResetView> {
    const device = await this.gateway.device(token, input.deviceId);
    if (!inScope(principal.scope, device.branchId)) throw deviceNotFound(input.deviceId);
    if (device.status === 'retired')
      throw new AppError(
        ReconcileErrorCode.DEVICE_RETIRED,
        'conflict',
        `device ${device.deviceId} is retired: it cannot be reset`,
      );
    const actor = actorOf(principal);
    const at = this.clock.now();
    const created = await this.dataSource.transaction(async (m) => {
      const row = await this.resets.insert(m, {
        id: this.ids.uuid(),
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
        ReconcileErrorCode.RESET_ALREADY_OPEN,
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
        ReconcileErrorCode.RESET_BACKUP_BY_DOWNLOAD,
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
      throw new AppError(ReconcileErrorCode.RESET_STEP_FAILED, 'conflict', `${step} failed: ${result.reason}`, {
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
      ReconcileErrorCode.RESET_STEP_IN_PROGRESS,
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
        return this.gateway.suspend(reset, token);
      case 'rekey':
        return this.gateway.rekey(reset, token);
      case 'resync':
        return this.gateway.resync(reset, token);
      case 'verify':
        return this.verify(reset);
      case 'closed':
        return { ok: true, detail: { closedAfter: 'verify' } };
    }
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
}

function checkOrder(reset: DeviceResetRow, step: ResetStep): void {
  if (ENDED_STATES.includes(reset.state)) throw resetEnded(reset);
  const expected = nextStepOf(reset.state);
  if (step !== expected)
    throw new AppError(
      ReconcileErrorCode.RESET_STEP_OUT_OF_ORDER,
      'conflict',
      `reset ${reset.id} is at step ${expected}: ${step} cannot be performed now`,
      { details: [{ code: 'EXPECTED_STEP', field: 'step', message: String(expected) }] },
    );
}

function resetEnded(reset: DeviceResetRow): AppError {
  return new AppError(ReconcileErrorCode.RESET_ENDED, 'conflict', `reset ${reset.id} is ${reset.state}`);
}

function resetNotFound(id: string): AppError {
  return new AppError(ReconcileErrorCode.RESET_NOT_FOUND, 'not_found', `no device reset ${id}`);
}
