import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every column that names the client of a grant, a token, a code or a device request. */
const CLIENT_ID_COLUMNS_OF = [
  'device_auth_grants',
  'device_auth_refresh_tokens',
  'device_auth_device_authorizations',
  'device_auth_authorization_codes',
];

/**
 * Client ID Metadata Document URLs (up to 255 characters) as client ids. PostgreSQL widens a varchar
 * in place, without rewriting the table; TypeORM's changeColumn would drop and re-add the column, so
 * this is plain SQL. SQLite does not enforce varchar lengths: nothing to change there.
 */
export class DeviceAuthClientIdUrls1764600000000 implements MigrationInterface {
  name = 'DeviceAuthClientIdUrls1764600000000';

  up(queryRunner: QueryRunner): Promise<void> {
    return resizeClientIds(queryRunner, 255);
  }

  down(queryRunner: QueryRunner): Promise<void> {
    return resizeClientIds(queryRunner, 100);
  }
}

async function resizeClientIds(queryRunner: QueryRunner, length: number): Promise<void> {
  const { type, schema } = queryRunner.connection.driver.options as { type: string; schema?: string };
  if (type !== 'postgres') return;
  for (const table of CLIENT_ID_COLUMNS_OF) {
    const qualified = schema ? `"${schema}"."${table}"` : `"${table}"`;
    await queryRunner.query(`ALTER TABLE ${qualified} ALTER COLUMN "client_id" TYPE varchar(${length})`);
  }
}
