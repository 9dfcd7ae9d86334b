import type { ObjectLiteral, Repository } from 'typeorm';
import type { TypeOrmUnitOfWork } from './unit-of-work';

/**
 * Deletes up to `batchSize` rows matching `condition` (SQL on the table's columns) and returns how
 * many went. Two short statements instead of one long DELETE, so a purge never holds locks for long.
 */
export async function purgeBatch<T extends ObjectLiteral>(
  units: TypeOrmUnitOfWork,
  repository: Repository<T>,
  condition: string,
  parameters: Record<string, unknown>,
  batchSize: number,
): Promise<number> {
  const rows: { id: string }[] = await repository
    .createQueryBuilder('row')
    .select('row.id', 'id')
    .where(condition, parameters)
    .limit(batchSize)
    .getRawMany();
  if (rows.length === 0) return 0;
  await units.write(() => repository.delete(rows.map((row) => row.id)));
  return rows.length;
}
