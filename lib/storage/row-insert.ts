import type { EntityMetadata, ObjectLiteral, Repository } from 'typeorm';

/** One prepared INSERT: its SQL (in the driver's placeholder style) and the columns it binds, in order. */
interface PreparedInsert {
  sql: string;
  columns: EntityMetadata['columns'];
}

/** Per entity, per set of present columns: built once, so the driver's statement cache always hits. */
const preparedInserts = new WeakMap<EntityMetadata, Map<string, PreparedInsert>>();

function preparedInsert(repository: Repository<ObjectLiteral>, row: ObjectLiteral): PreparedInsert {
  const { metadata } = repository;
  // Columns left undefined get the table's default, as TypeORM's own insert does.
  const columns = metadata.columns.filter((column) => column.getEntityValue(row) !== undefined);
  const key = columns.map((column) => column.databaseName).join(',');
  let byColumns = preparedInserts.get(metadata);
  if (!byColumns) preparedInserts.set(metadata, (byColumns = new Map()));
  let prepared = byColumns.get(key);
  if (!prepared) {
    const { driver } = repository.manager.connection;
    const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
    const placeholders = columns.map((_, index) => `:p${index}`).join(', ');
    const named = Object.fromEntries(columns.map((_, index) => [`p${index}`, null]));
    const [sql] = driver.escapeQueryWithParameters(`INSERT INTO ${metadata.tablePath} (${names}) VALUES (${placeholders})`, named);
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
  const { sql, columns } = preparedInsert(repository as Repository<ObjectLiteral>, row);
  const { driver } = repository.manager.connection;
  const values = columns.map((column) => driver.preparePersistentValue(column.getEntityValue(row, true), column) as unknown);
  await repository.query(sql, values);
}
