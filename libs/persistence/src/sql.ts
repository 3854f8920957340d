import { EntityManager } from 'typeorm';

/** Raw SQL with typed rows. Parameters are always bound ($1, $2...), never interpolated. */
export async function queryRows<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await manager.query(sql, params)) as T[];
}

export async function queryOne<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T | undefined> {
  const rows = await queryRows<T>(manager, sql, params);
  return rows[0];
}
