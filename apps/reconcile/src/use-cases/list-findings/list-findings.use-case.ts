import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BranchScope } from '@lib/platform';
import { findingView } from '../../findings/finding.view';
import { FindingsQueryRepository } from '../../findings/findings-query.repository';
import { decodeCursor, PageQuery, pageOf, UUID_ID } from '../../persistence/keyset-cursor';
import { FindingFilters } from '../../findings/finding-filters';

/** What a list of findings is asked (`GET /v1/findings` parses it). */
export type ListFindingsQuery = FindingFilters & PageQuery;

/** A page of findings within the caller's scope, filtered, oldest first, with the total matching and a cursor to the next page. */
@Injectable()
export class ListFindingsUseCase {
  constructor(
    private readonly findings: FindingsQueryRepository,
    private readonly dataSource: DataSource,
  ) {}

  async execute(scope: BranchScope, q: ListFindingsQuery) {
    const { cursor, limit, ...filters } = q;
    const after = cursor ? decodeCursor(cursor, UUID_ID) : null;
    const [rows, total] = await Promise.all([
      this.findings.list(scope, filters, after, limit + 1),
      this.findings.count(scope, filters),
    ]);
    const page = pageOf(rows, limit, (last) => [last.createdAt.toISOString(), last.id]);
    const histories = await this.findings.histories(
      this.dataSource.manager,
      page.items.map((r) => r.id),
    );
    return {
      items: page.items.map((r) => findingView(r, histories.get(r.id) ?? [])),
      nextCursor: page.nextCursor,
      total,
    };
  }
}
