import { DeviceStatus } from '@lib/contracts';

export const REMOTE_OP_JOB_STATES = ['pending', 'reported', 'cleared', 'failed'] as const;
export type RemoteOpJobState = (typeof REMOTE_OP_JOB_STATES)[number];

/** What the API lists: a job's state, or `disabled` for a device whose remote operations are switched off. */
export const REMOTE_OP_LIST_STATES = [...REMOTE_OP_JOB_STATES, 'disabled'] as const;
export type RemoteOpListState = (typeof REMOTE_OP_LIST_STATES)[number];

/** A device as the gateway last announced it (device.changed), the origin of the events sync records for it. */
export interface HostedDevice {
  deviceId: string;
  taxNo: string;
  branchId: string;
  deviceNo: string | null;
  deviceName: string | null;
  hostedOn: string | null;
  status: DeviceStatus;
  changedAt: Date;
}

/** A job claimed by this replica: `attempt` is the claim's number, which its outcomes must still match. */
export interface ClaimedJob {
  id: string;
  deviceId: string;
  period: string;
  target: string;
  state: RemoteOpJobState;
  attempt: number;
  failuresInRow: number;
  needsStatus: boolean;
  reportedAt: Date | null;
  lastErrorCode: string | null;
  alertedCode: string | null;
  device: HostedDevice;
}

export interface RemoteOpsSetting {
  scope: 'taxpayer' | 'device';
  scopeId: string;
  enabled: boolean;
  reason: string;
  updatedBy: { kind: 'person' | 'service'; subject: string; name: string };
  updatedAt: Date;
}

/** One line of `GET /v1/remote-ops` (docs/device-operations.md). */
export interface RemoteOpView {
  deviceId: string;
  taxNo: string;
  branchId: string;
  deviceNo: string | null;
  hostedOn: string | null;
  period: string;
  state: RemoteOpListState;
  attempts: number;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  nextAttemptAt: string | null;
  reportedAt: string | null;
  clearedAt: string | null;
}
