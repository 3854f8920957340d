import { EntityManager } from 'typeorm';

/** Raw SQL with typed rows. Parameters are always bound ($1, $2...), never interpolated. */
export async function queryRows<T>(
  manager: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await manager.query(sql, params)) as T[];
}

export async function queryOne<T>(
  manager: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T | undefined> {
  const rows = await queryRows<T>(manager, sql, params);
  return rows[0];
}

/**
 * Rows of an UPDATE/DELETE … RETURNING. TypeORM's postgres driver answers those with `[rows, affected]` (and
 * INSERT/SELECT with the rows alone), so `queryRows` would see a two-element array.
 */
export async function returningRows<T>(
  manager: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result = (await manager.query(sql, params)) as unknown;
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
