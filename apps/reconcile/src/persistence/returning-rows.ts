import { EntityManager } from 'typeorm';

/**
 * Rows of an UPDATE/DELETE … RETURNING. TypeORM's postgres driver answers those with `[rows, affected]`
 * (and INSERT/SELECT with the rows alone).
 */
export async function returningRows<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = (await manager.query(sql, params)) as unknown;
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
