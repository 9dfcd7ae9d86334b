import type { EntityMetadata, ObjectLiteral, Repository } from 'typeorm';

/** One prepared INSERT: its SQL (in the driver's placeholder style) and the columns it binds, in order. */
interface PreparedInsert {
  sql: string;
  columns: EntityMetadata['columns'];
}

/** What to do when a unique index already holds one of the row's values. */
type OnTaken = 'fail' | 'skip';

/** Per entity, per set of present columns and conflict rule: built once, so the driver's statement cache always hits. */
const preparedInserts = new WeakMap<EntityMetadata, Map<string, PreparedInsert>>();

function preparedInsert(repository: Repository<ObjectLiteral>, row: ObjectLiteral, onTaken: OnTaken): PreparedInsert {
  const { metadata } = repository;
  // Columns left undefined get the table's default, as TypeORM's own insert does.
  const columns = metadata.columns.filter((column) => column.getEntityValue(row) !== undefined);
  const key = `${onTaken}:${columns.map((column) => column.databaseName).join(',')}`;
  let byColumns = preparedInserts.get(metadata);
  if (!byColumns) preparedInserts.set(metadata, (byColumns = new Map()));
  let prepared = byColumns.get(key);
  if (!prepared) {
    const { driver } = repository.manager.connection;
    const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
    const placeholders = columns.map((_, index) => `:p${index}`).join(', ');
    const named = Object.fromEntries(columns.map((_, index) => [`p${index}`, null]));
    // Skipping reports through RETURNING whether the row went in, without a failed statement: on
    // PostgreSQL a unique violation would abort the whole unit of work around it.
    const skipTaken = onTaken === 'skip' ? ' ON CONFLICT DO NOTHING RETURNING 1 AS inserted' : '';
    const [sql] = driver.escapeQueryWithParameters(
      `INSERT INTO ${metadata.tablePath} (${names}) VALUES (${placeholders})${skipTaken}`,
      named,
    );
    prepared = { sql, columns };
    byColumns.set(key, prepared);
  }
  return prepared;
}

/**
 * Inserts one row through a statement built once per entity: the same row TypeORM's
 * `repository.insert` writes (transformers and the driver's value preparation applied), without
 * building the query anew on every call. For the hot paths: a device authorization, a grant, a
 * rotated refresh token.
 */
export async function insertRow<T extends ObjectLiteral>(repository: Repository<T>, row: T): Promise<void> {
  await runInsert(repository, row, 'fail');
}

/** Inserts the row; false, instead of an error, when a unique index already holds one of its values. */
export async function insertUnlessTaken<T extends ObjectLiteral>(repository: Repository<T>, row: T): Promise<boolean> {
  const inserted = (await runInsert(repository, row, 'skip')) as unknown[];
  return inserted.length > 0;
}

function runInsert<T extends ObjectLiteral>(repository: Repository<T>, row: T, onTaken: OnTaken): Promise<unknown> {
  const { sql, columns } = preparedInsert(repository as Repository<ObjectLiteral>, row, onTaken);
  const { driver } = repository.manager.connection;
  const values = columns.map((column) => driver.preparePersistentValue(column.getEntityValue(row, true), column) as unknown);
  return repository.query(sql, values);
}
