import { Injectable } from '@nestjs/common';
import { BranchScope } from '@lib/platform';
import { decodeCursor, PageQuery, pageOf } from '../../persistence/keyset-cursor';
import { LedgerQueryRepository } from '../../projections/ledger-query.repository';

/** What a search of the ledger is asked (`GET /v1/invoices` parses it). `from`/`to` are a day or an instant. */
export interface SearchInvoicesQuery extends PageQuery {
  number?: string;
  code?: string;
  from?: string;
  to?: string;
  taxNo?: string;
  branchId?: string;
  deviceId?: string;
  /** The buyer's tax number exactly, or a part of the buyer's name. */
  buyer?: string;
}

/** A calendar day is a day in Asia/Shanghai (docs/conventions.md); an instant is taken as given. */
function instant(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+08:00` : value);
}

/** Invoices of the ledger projection within the caller's scope, newest issue first, with the total matching. */
@Injectable()
export class SearchInvoicesUseCase {
  constructor(private readonly ledger: LedgerQueryRepository) {}

  async execute(scope: BranchScope, q: SearchInvoicesQuery) {
    const { cursor, limit, from, to, ...rest } = q;
    const search = { ...rest, from: instant(from), to: instant(to) };
    const before = cursor ? decodeCursor(cursor, /^[0-9A-Za-z-]{1,64}$/) : null;
    const [rows, total] = await Promise.all([
      this.ledger.search(scope, search, before, limit + 1),
      this.ledger.count(scope, search),
    ]);
    return { ...pageOf(rows, limit, (last) => [last.issuedAt, last.key]), total };
  }
}
