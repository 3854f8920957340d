import { PER_INVOICE_CHANNEL, PullCoverage } from '../pull/pull-coverage';

export const RUN_STATES = ['queued', 'running', 'completed', 'incomplete', 'failed'] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface RunRow {
  id: string;
  taxNo: string;
  period: string;
  state: RunState;
  phase: string | null;
  trigger: string;
  requestedBy: string;
  channel: string | null;
  pageToken: string | null;
  pages: number;
  records: number;
  pullComplete: boolean;
  /**
   * What the pull proved: `listed` (a channel listed the whole period), `per-invoice` (the listing channels
   * failed and each ledger invoice was checked instead: the run's channel is `per-invoice`), or null.
   */
  coverage: PullCoverage | null;
  incompleteReason: string | null;
  counts: Record<string, unknown>;
  timings: Record<string, unknown>;
  error: Record<string, unknown> | null;
  workerId: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export function toRunRow(r: Record<string, unknown>): RunRow {
  const date = (v: unknown) => (v ? new Date(v as string) : null);
  return {
    id: String(r.id),
    taxNo: String(r.tax_no),
    period: String(r.period),
    state: r.state as RunState,
    phase: (r.phase as string | null) ?? null,
    trigger: String(r.trigger),
    requestedBy: String(r.requested_by),
    channel: (r.channel as string | null) ?? null,
    pageToken: (r.page_token as string | null) ?? null,
    pages: Number(r.pages),
    records: Number(r.records),
    pullComplete: Boolean(r.pull_complete),
    coverage: r.pull_complete ? 'listed' : r.channel === PER_INVOICE_CHANNEL ? 'per-invoice' : null,
    incompleteReason: (r.incomplete_reason as string | null) ?? null,
    counts: (r.counts as Record<string, unknown>) ?? {},
    timings: (r.timings as Record<string, unknown>) ?? {},
    error: (r.error as Record<string, unknown> | null) ?? null,
    workerId: (r.worker_id as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
    startedAt: date(r.started_at),
    finishedAt: date(r.finished_at),
  };
}
