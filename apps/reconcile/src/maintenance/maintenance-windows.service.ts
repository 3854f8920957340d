import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, CLOCK, Clock, ID_SOURCE, IdSource } from '@lib/common';
import {
  AnnounceMaintenance,
  ChangeMaintenance,
  MaintenanceChange,
  MaintenanceState,
  MaintenanceTarget,
} from '@lib/contracts';
import { enqueueOutbox } from '@lib/messaging';
import { Actor, actorOf, AuditLog, Principal } from '@lib/platform';
import { decodeCursor, pageOf, UUID_ID } from '../persistence/keyset-cursor';
import { MaintenanceEventsPublisher } from './maintenance-events.publisher';
import { MaintenanceWindow, MaintenanceWindowView, viewOf } from './maintenance-window.model';
import { MaintenanceWindowsRepository } from './maintenance-windows.repository';
import { ReconcileErrorCode } from '../reconcile-error-codes';

export interface ListWindowsQuery {
  state?: MaintenanceState;
  target?: MaintenanceTarget;
  cursor?: string;
  limit: number;
}

const AUDIT_ACTIONS: Record<MaintenanceChange, string> = {
  announced: 'maintenance.announce',
  changed: 'maintenance.change',
  cancelled: 'maintenance.cancel',
};

const notFound = (id: string) =>
  new AppError(ReconcileErrorCode.MAINTENANCE_WINDOW_NOT_FOUND, 'not_found', `maintenance window ${id} does not exist`);

/**
 * Announce, change and cancel maintenance windows (docs/maintenance.md). Each change is one transaction: the row, an
 * audit entry naming the person, and `maintenance.changed` through the outbox (enqueued last), so the notifier tells
 * the routed recipients exactly what was committed.
 */
@Injectable()
export class MaintenanceWindowsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly windows: MaintenanceWindowsRepository,
    private readonly events: MaintenanceEventsPublisher,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  async announce(input: AnnounceMaintenance, principal: Principal): Promise<MaintenanceWindowView> {
    const at = this.clock.now();
    const endsAt = new Date(input.endsAt);
    if (endsAt.getTime() <= at.getTime())
      throw new AppError(ReconcileErrorCode.MAINTENANCE_WINDOW_PAST, 'validation', 'endsAt has passed: announce a window that has not ended');
    const actor = actorOf(principal);
    const window: MaintenanceWindow = {
      id: this.ids.uuid(),
      target: input.target,
      startsAt: new Date(input.startsAt),
      endsAt,
      reason: input.reason,
      taxNos: normalised(input.taxNos),
      state: 'scheduled',
      revision: 1,
      cancelReason: null,
      createdBy: actor,
      createdAt: at,
      updatedBy: actor,
      updatedAt: at,
    };
    await this.dataSource.transaction(async (m) => {
      await this.windows.insert(m, window);
      await this.record(m, window, 'announced', actor, null);
    });
    return viewOf(window);
  }

  async change(id: string, input: ChangeMaintenance, principal: Principal): Promise<MaintenanceWindowView> {
    return this.dataSource.transaction(async (m) => {
      const window = await this.changeable(m, id);
      const at = this.clock.now();
      const next: MaintenanceWindow = {
        ...window,
        target: input.target ?? window.target,
        startsAt: input.startsAt ? new Date(input.startsAt) : window.startsAt,
        endsAt: input.endsAt ? new Date(input.endsAt) : window.endsAt,
        reason: input.reason ?? window.reason,
        taxNos: input.taxNos === undefined ? window.taxNos : normalised(input.taxNos),
        revision: window.revision + 1,
        updatedBy: actorOf(principal),
        updatedAt: at,
      };
      if (next.endsAt.getTime() <= next.startsAt.getTime())
        throw new AppError(ReconcileErrorCode.INVALID_REQUEST, 'validation', 'endsAt must be after startsAt', {
          details: [{ code: 'INVALID_VALUE', field: 'body.endsAt', message: 'must be after startsAt' }],
        });
      if (next.endsAt.getTime() <= at.getTime())
        throw new AppError(ReconcileErrorCode.MAINTENANCE_WINDOW_PAST, 'validation', 'endsAt has passed: a window ends now at the earliest');
      await this.windows.update(m, next);
      await this.record(m, next, 'changed', next.updatedBy, input.note ?? null);
      return viewOf(next);
    });
  }

  async cancel(id: string, reason: string, principal: Principal): Promise<MaintenanceWindowView> {
    return this.dataSource.transaction(async (m) => {
      const window = await this.changeable(m, id);
      const next: MaintenanceWindow = {
        ...window,
        state: 'cancelled',
        cancelReason: reason,
        revision: window.revision + 1,
        updatedBy: actorOf(principal),
        updatedAt: this.clock.now(),
      };
      await this.windows.update(m, next);
      await this.record(m, next, 'cancelled', next.updatedBy, reason);
      return viewOf(next);
    });
  }

  async get(id: string): Promise<MaintenanceWindowView> {
    const window = await this.windows.get(this.dataSource.manager, id);
    if (!window) throw notFound(id);
    return viewOf(window);
  }

  async list(q: ListWindowsQuery): Promise<{ items: MaintenanceWindowView[]; nextCursor: string | null }> {
    const after = q.cursor ? decodeCursor(q.cursor, UUID_ID) : undefined;
    const rows = await this.windows.list(this.dataSource.manager, { state: q.state, target: q.target, after, limit: q.limit });
    const page = pageOf(rows, q.limit, (w) => [w.startsAt.toISOString(), w.id]);
    return { items: page.items.map(viewOf), nextCursor: page.nextCursor };
  }

  /** A scheduled window that has not ended, locked; otherwise the error that says why it cannot change. */
  private async changeable(m: EntityManager, id: string): Promise<MaintenanceWindow> {
    const window = await this.windows.get(m, id, true);
    if (!window) throw notFound(id);
    if (window.state === 'cancelled')
      throw new AppError(ReconcileErrorCode.MAINTENANCE_WINDOW_CANCELLED, 'conflict', `maintenance window ${id} was cancelled`);
    if (window.endsAt.getTime() <= this.clock.now().getTime())
      throw new AppError(ReconcileErrorCode.MAINTENANCE_WINDOW_ENDED, 'conflict', `maintenance window ${id} has ended`);
    return window;
  }

  /** The audit entry, then the event (the outbox write is the transaction's last locking step). */
  private async record(m: EntityManager, w: MaintenanceWindow, change: MaintenanceChange, actor: Actor, reason: string | null): Promise<void> {
    await this.audit.record(m, {
      at: w.updatedAt,
      actor,
      action: AUDIT_ACTIONS[change],
      targetType: 'maintenance-window',
      targetId: w.id,
      reason,
      detail: {
        revision: w.revision,
        target: w.target,
        startsAt: w.startsAt.toISOString(),
        endsAt: w.endsAt.toISOString(),
        taxNos: w.taxNos,
      },
    });
    await enqueueOutbox(m, [this.events.message(w, change)]);
  }
}

function normalised(taxNos: string[] | null | undefined): string[] | null {
  return taxNos ? [...new Set(taxNos)].sort() : null;
}
