import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '@lib/common';
import { BranchScope } from '@lib/platform';
import { decodeCursor, pageOf, UUID_ID } from '../persistence/keyset-cursor';
import { ReconcileErrorCode } from '../reconcile-error-codes';
import { CorrectionRow, correctionView, CorrectionView } from './correction.model';
import { CorrectionsQueryRepository } from './corrections-query.repository';
import { ListCorrectionsQuery } from './corrections.schemas';

/** The corrections a person may see (docs/corrections.md): a page of them, or one with its history and its form's states. */
@Injectable()
export class CorrectionsQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly corrections: CorrectionsQueryRepository,
  ) {}

  async list(scope: BranchScope, q: ListCorrectionsQuery) {
    const after = q.cursor ? decodeCursor(q.cursor, UUID_ID) : null;
    const rows = await this.corrections.list(this.dataSource.manager, scope, { ...q, after });
    const page = pageOf(rows, q.limit, (last) => [last.createdAt.toISOString(), last.id]);
    return { items: page.items.map((c) => correctionView(c)), nextCursor: page.nextCursor };
  }

  /** One correction within the scope, as committed (404 CORRECTION_NOT_FOUND when unknown or outside it). */
  async get(id: string, scope: BranchScope): Promise<CorrectionView> {
    const m = this.dataSource.manager;
    const c = await this.corrections.get(m, id, scope);
    if (!c) throw correctionNotFound(id);
    return correctionView(c, await this.corrections.history(m, id), await this.corrections.formHistory(m, c));
  }

  /** One correction within the scope, locked in `m` for a step (its finding first); 404 when unknown or outside it. */
  async lock(m: EntityManager, id: string, scope: BranchScope): Promise<CorrectionRow> {
    const c = await this.corrections.get(m, id, scope, true);
    if (!c) throw correctionNotFound(id);
    return c;
  }
}

export function correctionNotFound(id: string): AppError {
  return new AppError(
    ReconcileErrorCode.CORRECTION_NOT_FOUND,
    'not_found',
    `correction ${id} does not exist`,
  );
}
