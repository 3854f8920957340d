import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@lib/common';
import { findingView } from '../../findings/finding.view';
import { FindingsQueryRepository } from '../../findings/findings-query.repository';
import { ListFindingsQuery } from '../../http/api.schemas';

/** A page of findings, filtered, oldest first, with an opaque cursor to the next page. */
@Injectable()
export class ListFindingsUseCase {
  constructor(
    private readonly findings: FindingsQueryRepository,
    private readonly dataSource: DataSource,
  ) {}

  async execute(q: ListFindingsQuery) {
    const rows = await this.findings.list(q, q.cursor ? decodeCursor(q.cursor) : null);
    const histories = await this.findings.histories(this.dataSource.manager, rows.map((r) => r.id));
    const last = rows[rows.length - 1];
    return {
      items: rows.map((r) => findingView(r, histories.get(r.id) ?? [])),
      nextCursor: rows.length === q.limit && last ? encodeCursor(last.createdAt.toISOString(), last.id) : null,
    };
  }
}

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (Number.isNaN(new Date(createdAt).getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw new AppError('INVALID_CURSOR', 'validation', 'cursor is not one this API returned');
  }
}
