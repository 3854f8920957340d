import { counter, gauge } from '@lib/observability';

const operations = counter(
  'sync_remote_ops_operations_total',
  'Remote device operations (抄报 report, 清卡 clear, status) by target, step and outcome (succeeded or the failure class)',
  ['target', 'step', 'outcome'],
);
const alerts = counter(
  'sync_remote_ops_alerts_total',
  'Failed device.clear-card events recorded for remote operations, by target and error code',
  ['target', 'code'],
);
const jobs = gauge('sync_remote_ops_jobs', "Jobs of the open filing period's remote operations, by state", ['state']);

export const remoteOpsMetrics = {
  operation(target: string, step: string, outcome: string): void {
    operations.inc({ target, step, outcome });
  },
  alert(target: string, code: string): void {
    alerts.inc({ target, code });
  },
  jobs(counts: { state: string; n: number }[]): void {
    jobs.reset();
    for (const c of counts) jobs.set({ state: c.state }, c.n);
  },
};
