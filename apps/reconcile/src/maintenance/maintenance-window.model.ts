import { MaintenanceState, MaintenanceTarget } from '@lib/contracts';
import { Actor } from '@lib/platform';

/** A maintenance window as stored (and as the API shows it). */
export interface MaintenanceWindow {
  id: string;
  target: MaintenanceTarget;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  /** Null: every taxpayer. */
  taxNos: string[] | null;
  state: MaintenanceState;
  revision: number;
  cancelReason: string | null;
  createdBy: Actor;
  createdAt: Date;
  updatedBy: Actor;
  updatedAt: Date;
}

export interface MaintenanceWindowView {
  id: string;
  target: MaintenanceTarget;
  startsAt: string;
  endsAt: string;
  reason: string;
  taxNos: string[] | null;
  state: MaintenanceState;
  revision: number;
  cancelReason: string | null;
  createdBy: Actor;
  createdAt: string;
  updatedBy: Actor;
  updatedAt: string;
}

export function viewOf(w: MaintenanceWindow): MaintenanceWindowView {
  return {
    ...w,
    startsAt: w.startsAt.toISOString(),
    endsAt: w.endsAt.toISOString(),
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}
