import type { ObjectLiteral, Repository } from 'typeorm';
import { insertRow } from './row-insert';

/** True for a unique-constraint failure on SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string } } | null)?.driverError ?? (error as { code?: string } | null);
  const code = driverError?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Inserts the row; false, instead of an error, when a unique index already holds its value. */
export async function insertUnlessTaken<T extends ObjectLiteral>(repository: Repository<T>, row: T): Promise<boolean> {
  try {
    await insertRow(repository, row);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
