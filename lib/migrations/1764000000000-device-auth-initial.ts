import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

// Portable column shapes: the same migration runs on SQLite and PostgreSQL.
const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const epochMillis = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const primary = (name: string, length: number): TableColumnOptions => ({ ...varchar(name, length), isPrimary: true });

export class DeviceAuthInitial1764000000000 implements MigrationInterface {
  name = 'DeviceAuthInitial1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'device_auth_clients',
        columns: [
          primary('client_id', 100),
          varchar('name', 200),
          varchar('type', 20),
          varchar('mode', 20),
          varchar('owner_user_id', 200, true),
          varchar('secret_hash', 64, true),
          text('grant_types'),
          text('scopes'),
          epochMillis('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'device_auth_device_authorizations',
        columns: [
          primary('id', 36),
          varchar('device_code_hash', 64),
          varchar('user_code_hash', 64),
          varchar('client_id', 100),
          text('scope'),
          varchar('status', 20),
          varchar('user_id', 200, true),
          { name: 'poll_interval', type: 'integer' },
          epochMillis('last_polled_at', true),
          varchar('request_ip', 64, true),
          varchar('request_user_agent', 300, true),
          epochMillis('created_at'),
          epochMillis('expires_at'),
          epochMillis('decided_at', true),
        ],
        indices: [
          { name: 'UQ_device_auth_device_code_hash', columnNames: ['device_code_hash'], isUnique: true },
          { name: 'UQ_device_auth_user_code_hash', columnNames: ['user_code_hash'], isUnique: true },
          { name: 'IDX_device_auth_device_expires_at', columnNames: ['expires_at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'device_auth_grants',
        columns: [
          primary('id', 36),
          varchar('client_id', 100),
          varchar('user_id', 200),
          text('scope'),
          epochMillis('created_at'),
          epochMillis('expires_at'),
          epochMillis('revoked_at', true),
          varchar('revocation_reason', 30, true),
        ],
        indices: [{ name: 'IDX_device_auth_grant_expires_at', columnNames: ['expires_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'device_auth_refresh_tokens',
        columns: [
          primary('id', 36),
          varchar('token_hash', 64),
          varchar('family_id', 36),
          varchar('parent_id', 36, true),
          varchar('client_id', 100),
          varchar('user_id', 200),
          text('scope'),
          epochMillis('created_at'),
          epochMillis('expires_at'),
          epochMillis('consumed_at', true),
          epochMillis('revoked_at', true),
        ],
        indices: [
          { name: 'UQ_device_auth_refresh_token_hash', columnNames: ['token_hash'], isUnique: true },
          { name: 'IDX_device_auth_refresh_family', columnNames: ['family_id'] },
          { name: 'IDX_device_auth_refresh_expires_at', columnNames: ['expires_at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'device_auth_personal_access_tokens',
        columns: [
          primary('id', 36),
          varchar('token_hash', 64),
          varchar('display_hint', 40),
          varchar('user_id', 200),
          varchar('client_id', 100, true),
          varchar('name', 100),
          text('scope'),
          epochMillis('created_at'),
          epochMillis('expires_at', true),
          epochMillis('last_used_at', true),
          varchar('last_used_ip', 64, true),
          epochMillis('revoked_at', true),
        ],
        indices: [
          { name: 'UQ_device_auth_pat_token_hash', columnNames: ['token_hash'], isUnique: true },
          { name: 'IDX_device_auth_pat_user', columnNames: ['user_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'device_auth_signing_keys',
        columns: [primary('kid', 100), varchar('use', 10), varchar('alg', 20), text('material'), epochMillis('created_at')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'device_auth_signing_keys',
      'device_auth_personal_access_tokens',
      'device_auth_refresh_tokens',
      'device_auth_grants',
      'device_auth_device_authorizations',
      'device_auth_clients',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
