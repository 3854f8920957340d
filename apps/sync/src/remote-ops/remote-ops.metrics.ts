import { Injectable } from '@nestjs/common';
import { counter, gauge } from '@lib/observability';

/** Remote operations on /metrics. The helpers answer the metric already registered under a name, so instances share them. */
@Injectable()
export class RemoteOpsMetrics {
  private readonly operations = counter(
    'sync_remote_ops_operations_total',
    'Remote device operations (抄报 report, 清卡 clear, status) by target, step and outcome (succeeded or the failure class)',
    ['target', 'step', 'outcome'],
  );
  private readonly alerts = counter(
    'sync_remote_ops_alerts_total',
    'Failed device.clear-card events recorded for remote operations, by target and error code',
    ['target', 'code'],
  );
  private readonly jobStates = gauge(
    'sync_remote_ops_jobs',
    "Jobs of the open filing period's remote operations, by state",
    ['state'],
  );

  operation(target: string, step: string, outcome: string): void {
    this.operations.inc({ target, step, outcome });
  }

  alert(target: string, code: string): void {
    this.alerts.inc({ target, code });
  }

  jobs(counts: { state: string; n: number }[]): void {
    this.jobStates.reset();
    for (const c of counts) this.jobStates.set({ state: c.state }, c.n);
  }
}
