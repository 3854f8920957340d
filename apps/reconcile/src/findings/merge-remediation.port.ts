import { EntityManager } from 'typeorm';
import { SqlMessages } from './pending-outbox';

/** A re-upload (补传) of an invoice the authority does not have, decided by the merge for one finding. */
export interface ReuploadRequest {
  invoiceKey: string;
  attempt: number;
  findingId: string;
  requestedBy: string;
  reason: string;
}

/**
 * What the findings merge has remediation do, in the run's transaction. Remediation builds on findings (it acts on
 * them), so findings does not import it: the run hands the merge remediation's implementation
 * (remediation/merge-remediation.ts) with each merge.
 */
export interface MergeRemediation {
  /** Before the first page: opens this transaction's log of re-upload commands. */
  startReuploads(m: EntityManager): Promise<void>;
  /** A page's re-uploads, logged; their commands are built at the end (`reuploadMessages`). */
  logReuploads(m: EntityManager, requests: readonly ReuploadRequest[]): Promise<void>;
  /** After every page: back-fills what a platform lacks, set-based; how many findings it back-filled. */
  backfill(m: EntityManager, runId: string, taxNo: string, period: string, now: Date): Promise<number>;
  /** After every page: the correction requests of the run's mismatches, set-based. */
  requestCorrections(m: EntityManager, runId: string, now: Date): Promise<void>;
  /** The logged re-upload commands, for the outbox (`count`: as many as were logged). */
  reuploadMessages(count: number, now: Date): SqlMessages;
}
