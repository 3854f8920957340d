import { Injectable } from '@nestjs/common';
import { decodeCursor, PageQuery, pageOf, UUID_ID } from '../../persistence/keyset-cursor';
import { RunsRepository } from '../../runs/runs.repository';
import { runView } from '../get-reconciliation/get-reconciliation.use-case';

/** What a list of runs is asked (`GET /v1/reconciliations` parses it). */
export interface ListRunsQuery extends PageQuery {
  taxNo?: string;
  period?: string;
}

/**
 * Runs newest first, with the total matching. A run is a taxpayer's whole period, not a branch's: every caller who may
 * read runs sees them all (a clerk's findings stay limited to their branches).
 */
@Injectable()
export class ListReconciliationsUseCase {
  constructor(private readonly runs: RunsRepository) {}

  async execute(q: ListRunsQuery) {
    const { cursor, limit, ...filter } = q;
    const before = cursor ? decodeCursor(cursor, UUID_ID) : null;
    const [rows, total] = await Promise.all([
      this.runs.list(filter, before, limit + 1),
      this.runs.count(filter),
    ]);
    const page = pageOf(rows, limit, (last) => [last.createdAt.toISOString(), last.id]);
    return { items: page.items.map(runView), nextCursor: page.nextCursor, total };
  }
}
