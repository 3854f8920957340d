import { EntityManager } from 'typeorm';

/** The run a pull works for: its scope, and where an earlier attempt of it stopped (a run row has these). */
export interface PullRun {
  id: string;
  taxNo: string;
  period: string;
  workerId: string;
  channel: string | null;
  pageToken: string | null;
  pages: number;
  records: number;
}

export interface PullProgressFields {
  phase?: string;
  channel?: string;
  pageToken?: string | null;
  pages?: number;
  records?: number;
  pullComplete?: boolean;
}

/**
 * Where a pull records how far it got, in the transaction of the page it staged, so that a run taken over resumes
 * there. The run that orchestrates the pull gives it (runs: fenced by the worker's lease, which it renews); it throws
 * when the run is no longer the caller's, and the page's transaction rolls back.
 */
export interface PullProgress {
  record(m: EntityManager, fields: PullProgressFields): Promise<void>;
}
