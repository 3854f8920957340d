import type { ReportTotal, RemoteOpErrorCode } from '@lib/contracts';

/** The hosted device a remote operation acts on: the taxpayer and the device's authority number (机器编号). */
export interface HostedDeviceRef {
  taxNo: string;
  deviceNo: string;
  /** YYYY-MM: the period being reported and cleared (the one whose filing window is open). */
  period: string;
  /**
   * Our own request id for this attempt, sent to the platform where it takes one (Baiwang's `requestId`), so that the
   * outcome recorded in our events names the platform call that produced it.
   */
  requestId: string;
}

export type DeviceOperationResult<T> =
  | { ok: true; value: T; requestId: string }
  | {
      ok: false;
      /** Our classification (REMOTE_OP_FAILURES), never the platform's raw code. */
      errorCode: RemoteOpErrorCode;
      /** The platform's own code and words, kept for the person who reads the finding. */
      platformCode: string | null;
      message: string;
      requestId: string;
      /**
       * True when the platform may have done it although we did not get the answer (timeout after send, connection
       * reset): the caller must look the state up (`status`) before it sends the operation again.
       */
      outcomeUnknown: boolean;
    };

/** What the platform says of the device for a period: what has been done already. */
export interface HostedDeviceStatus {
  /** 抄报 for the period done (the platform's summary upload succeeded). */
  reported: boolean;
  /** 清卡 for the period done (the lock date moved on to the next period). */
  cleared: boolean;
  /** The device's lock (cut-off) date, YYYY-MM-DD, when the platform tells it. */
  lockDate: string | null;
  /** Offline invoices the device holds that are not uploaded yet. */
  offlinePending: number;
}

/**
 * One-key 抄报 and 清卡 of devices hosted on a platform (Baiwang: `baiwang.output.device.onekeyreport`,
 * `baiwang.output.device.onekeywriteback`, `baiwang.output.device.monitor`). Each call has a deadline and goes
 * through the platform's breaker (the same one its deliveries use); it never throws for a platform answer, only
 * returns a classified failure.
 */
export interface DeviceOperationsPort {
  readonly platform: string;
  /** 抄报: upload the period's summary; answers the totals per invoice type that were reported. */
  report(ref: HostedDeviceRef): Promise<DeviceOperationResult<{ totals: ReportTotal[]; reportedAt: string }>>;
  /** 清卡: write back (clear) the card for the period; only after a successful report. */
  clear(ref: HostedDeviceRef): Promise<DeviceOperationResult<{ clearedAt: string; lockDate: string | null }>>;
  /** The device's state for the period, to decide after an unknown outcome without doing anything twice. */
  status(ref: HostedDeviceRef): Promise<DeviceOperationResult<HostedDeviceStatus>>;
}
