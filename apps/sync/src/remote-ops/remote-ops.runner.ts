import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { RemoteOpErrorCode } from '@lib/contracts';
import { DeviceOperationResult, DeviceOperationsPort, HostedDeviceStatus } from '@lib/providers';
import { SyncConfig } from '../sync.config';
import { SYNC_CONFIG } from '../sync.tokens';
import { TargetAdapters } from '../targets/target-adapters';
import { JobPatch, RemoteOpJobsRepository } from './remote-op-jobs.repository';
import { RemoteOpsEvents } from './remote-ops.events';
import { RemoteOpsMetrics } from './remote-ops.metrics';
import { ClaimedJob, RemoteOpJobState } from './remote-ops.model';
import {
  failureClassOf,
  isRetriable,
  OutcomeKey,
  remoteOpRequestId,
  remoteOpsBackoffMs,
  RemoteOpStep,
} from './remote-ops.policy';

type Failure = Extract<DeviceOperationResult<unknown>, { ok: false }>;

/** The code of a job whose target offers no device operations (not an event code: nothing is recorded for it). */
export const REMOTE_OPS_UNSUPPORTED = 'REMOTE_OPS_UNSUPPORTED';

/** The job is no longer this claim's: another replica took it over after the lease ran out. */
class LostClaim extends Error {}

/** Where a run stands: the job as claimed, and what this run has committed since. */
interface Run {
  job: ClaimedJob;
  port: DeviceOperationsPort;
  state: RemoteOpJobState;
  reported: boolean;
}

/**
 * Runs one claimed job: 抄报 then 清卡 through the platform's port, asking the platform's status first whenever what
 * was done is not known (an unknown outcome, a claim taken over, a person's retry, a job waiting for a person). Each
 * outcome commits with the job's new state and its event in one transaction, and only while the claim still owns the
 * job. Successful steps are never repeated: a reported job goes straight to clear, a cleared one is never claimed.
 */
@Injectable()
export class RemoteOpsRunner {
  private readonly logger = new Logger('RemoteOps');

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: RemoteOpJobsRepository,
    private readonly events: RemoteOpsEvents,
    private readonly adapters: TargetAdapters,
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: RemoteOpsMetrics,
  ) {}

  async run(job: ClaimedJob): Promise<void> {
    // the adapter sync already built for the target: its device operations share its breaker and token
    const port = this.adapters.get(job.target)?.deviceOperations;
    try {
      if (!port) return await this.unsupported(job);
      await this.steps({ job, port, state: job.state, reported: job.reportedAt !== null });
    } catch (error) {
      if (!(error instanceof LostClaim)) throw error;
      this.logger.warn(
        { deviceId: job.deviceId, period: job.period, attempt: job.attempt },
        'remote operation: the job was taken over by another run; this outcome is not recorded',
      );
    }
  }

  private async steps(run: Run): Promise<void> {
    const { job } = run;
    if (job.needsStatus || run.state === 'failed') {
      const status = await this.call(run, 'status', (ref) => run.port.status(ref));
      if (!status.ok) return this.failed(run, 'status', status);
      if (status.value.cleared) return this.cleared(run, status.requestId, this.clock.now(), 'status');
      if (status.value.reported && !run.reported) await this.reportedElsewhere(run, status.requestId);
      if (this.stillBlocked(run, status.value)) return this.stillWaiting(run, status.requestId);
    }
    if (!run.reported) {
      const report = await this.call(run, 'report', (ref) => run.port.report(ref));
      if (!report.ok) return this.failed(run, 'report', report);
      const now = this.clock.now();
      const reportedAt = validDate(report.value.reportedAt) ?? now;
      await this.commit(
        job,
        { ...success(), state: 'reported', reportedAt, reportEvent: true, lastRequestId: report.requestId },
        (m, key) =>
          this.events.reported(m, key, job.device, this.remote(run, report.requestId), { totals: report.value.totals, reportedAt }, now),
        'report',
      );
      run.state = 'reported';
      run.reported = true;
      this.logger.log({ deviceId: job.deviceId, period: job.period, target: job.target, requestId: report.requestId }, 'remote 抄报 done');
    }
    const clear = await this.call(run, 'clear', (ref) => run.port.clear(ref));
    if (!clear.ok) return this.failed(run, 'clear', clear);
    await this.cleared(run, clear.requestId, validDate(clear.value.clearedAt) ?? this.clock.now(), 'clear');
  }

  /** A job waiting for offline invoices stays waiting while the platform still counts them (nothing is sent). */
  private stillBlocked(run: Run, status: HostedDeviceStatus): boolean {
    return run.state === 'failed' && run.job.lastErrorCode === 'REMOTE_OFFLINE_INVOICES_PENDING' && status.offlinePending > 0;
  }

  private async stillWaiting(run: Run, requestId: string): Promise<void> {
    const now = this.clock.now();
    await this.commit(run.job, {
      nextAttemptAt: new Date(now.getTime() + this.config.SYNC_REMOTE_OPS_RECHECK_MS),
      leasedUntil: null,
      needsStatus: false,
      lastRequestId: requestId,
    });
    this.logger.log({ deviceId: run.job.deviceId, period: run.job.period }, 'remote operation still blocked by offline invoices');
  }

  /** The platform says the 抄报 is done although we never got its answer: recorded without totals (no event). */
  private async reportedElsewhere(run: Run, requestId: string): Promise<void> {
    const now = this.clock.now();
    await this.commit(run.job, {
      state: run.state === 'failed' ? 'failed' : 'reported',
      reportedAt: now,
      reportEvent: false,
      needsStatus: false,
      lastRequestId: requestId,
    });
    if (run.state !== 'failed') run.state = 'reported';
    run.reported = true;
    this.logger.warn(
      { deviceId: run.job.deviceId, period: run.job.period, target: run.job.target },
      'the platform has the 抄报 whose answer was lost; not sent again, recorded without totals',
    );
  }

  private async cleared(run: Run, requestId: string, clearedAt: Date, via: RemoteOpStep): Promise<void> {
    const { job } = run;
    const now = this.clock.now();
    await this.commit(
      job,
      {
        ...success(),
        state: 'cleared',
        clearedAt,
        reportedAt: run.reported ? undefined : now,
        leasedUntil: null,
        lastRequestId: requestId,
      },
      (m, key) => this.events.cleared(m, key, job.device, this.remote(run, requestId), clearedAt, now),
      'clear',
    );
    this.logger.log({ deviceId: job.deviceId, period: job.period, target: job.target, requestId, via }, 'remote 清卡 done');
  }

  /**
   * A failed call. Retriable (or unknown outcome): backoff, and one failed clear-card once the failures in a row reach
   * the alert threshold. Not retriable: the job waits for a person (or the slow recheck) and a failed clear-card is
   * recorded at once, unless this same code was already recorded for it.
   */
  private async failed(run: Run, step: RemoteOpStep, failure: Failure): Promise<void> {
    const { job } = run;
    const now = this.clock.now();
    const code: RemoteOpErrorCode = failure.errorCode;
    const retriable = failure.outcomeUnknown || isRetriable(code);
    const failuresInRow = job.failuresInRow + 1;
    const waitingForPerson = !retriable || run.state === 'failed';
    const alert = retriable
      ? failuresInRow >= this.config.SYNC_REMOTE_OPS_ATTEMPTS_BEFORE_ALERT && job.alertedCode === null
      : job.alertedCode !== code;
    const delay = waitingForPerson
      ? this.config.SYNC_REMOTE_OPS_RECHECK_MS
      : remoteOpsBackoffMs(failuresInRow, this.config.SYNC_REMOTE_OPS_BACKOFF_MS);
    const message = failure.message || code;
    await this.commit(
      job,
      {
        state: waitingForPerson ? 'failed' : run.state,
        failuresInRow,
        nextAttemptAt: new Date(now.getTime() + delay),
        leasedUntil: null,
        // after an unknown outcome (or a status that did not answer) the platform is asked first next time
        needsStatus: failure.outcomeUnknown || (step === 'status' && job.needsStatus),
        lastErrorCode: code,
        lastErrorMessage: message.slice(0, 1000),
        lastRequestId: failure.requestId,
        alertedCode: alert ? code : undefined,
      },
      alert
        ? (m, key) =>
            this.events.failed(
              m,
              key,
              job.device,
              this.remote(run, failure.requestId),
              { errorCode: code, errorMessage: message, failureClass: failureClassOf(code) },
              now,
            )
        : undefined,
      step,
    );
    if (alert) this.metrics.alert(job.target, code);
    const log = { deviceId: job.deviceId, period: job.period, target: job.target, step, code, retriable, alert, failuresInRow, platformCode: failure.platformCode };
    if (waitingForPerson) this.logger.warn(log, `remote operation failed and waits for a person: ${message}`);
    else this.logger.warn(log, `remote operation failed; retrying in ${delay} ms: ${message}`);
  }

  private async unsupported(job: ClaimedJob): Promise<void> {
    const now = this.clock.now();
    const message = `target ${job.target} offers no device operations here`;
    await this.commit(
      job,
      {
        nextAttemptAt: new Date(now.getTime() + this.config.SYNC_REMOTE_OPS_RECHECK_MS),
        leasedUntil: null,
        lastErrorCode: REMOTE_OPS_UNSUPPORTED,
        lastErrorMessage: message,
      },
    );
    this.metrics.operation(job.target, 'none', 'unsupported');
    this.logger.warn({ deviceId: job.deviceId, period: job.period, target: job.target }, message);
  }

  /** One call with our own deadline; a throw or a missed deadline is an unknown outcome (it may have been done). */
  private async call<T>(
    run: Run,
    step: RemoteOpStep,
    send: (ref: { taxNo: string; deviceNo: string; period: string; requestId: string }) => Promise<DeviceOperationResult<T>>,
  ): Promise<DeviceOperationResult<T>> {
    const { job } = run;
    const requestId = remoteOpRequestId(this.keyOf(job, step));
    const ref = { taxNo: job.device.taxNo, deviceNo: job.device.deviceNo ?? '', period: job.period, requestId };
    const timeoutMs = this.config.SYNC_REMOTE_OPS_CALL_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    let result: DeviceOperationResult<T>;
    try {
      result = await Promise.race([
        send(ref),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      result = {
        ok: false,
        errorCode: 'REMOTE_NETWORK_ERROR',
        platformCode: null,
        message: `${step}: ${error instanceof Error ? error.message : String(error)}`,
        requestId,
        outcomeUnknown: step !== 'status',
      };
    } finally {
      clearTimeout(timer);
    }
    this.metrics.operation(
      job.target,
      step,
      result.ok ? 'succeeded' : result.outcomeUnknown ? 'unknown' : failureClassOf(result.errorCode),
    );
    return result;
  }

  /**
   * The outcome and its events in one transaction, written only while the job is still this claim's (else nothing is
   * written and the run stops).
   */
  private async commit(
    job: ClaimedJob,
    patch: JobPatch,
    events?: (manager: EntityManager, key: OutcomeKey) => Promise<unknown>,
    step: RemoteOpStep = 'status',
  ): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const owned = await this.jobs.update(manager, { id: job.id, attempt: job.attempt }, patch, now);
      if (!owned) throw new LostClaim();
      if (events) await events(manager, this.keyOf(job, step));
    });
  }

  private keyOf(job: ClaimedJob, step: RemoteOpStep): OutcomeKey {
    return { deviceId: job.deviceId, period: job.period, step, attempt: job.attempt };
  }

  private remote(run: Run, requestId: string) {
    return { target: run.job.target, requestId };
  }
}

/** What a successful step clears: the failures in a row, the alert, the last error, the need to ask first. */
function success(): JobPatch {
  return { failuresInRow: 0, alertedCode: null, lastErrorCode: null, lastErrorMessage: null, needsStatus: false };
}

function validDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
