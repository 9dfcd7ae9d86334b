import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

/**
 * Grants without a user (client credentials), per-app redirect URIs and token lifetimes, and the
 * authorization codes of the code flow. Portable: the same steps run on SQLite and PostgreSQL.
 */
export class DeviceAuthAppGrantsAndCodes1764200000000 implements MigrationInterface {
  name = 'DeviceAuthAppGrantsAndCodes1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.changeColumn(
      'device_auth_grants',
      'user_id',
      new TableColumn({ name: 'user_id', type: 'varchar', length: '200', isNullable: true }),
    );
    await queryRunner.addColumns('device_auth_clients', [
      new TableColumn({ name: 'redirect_uris', type: 'text', isNullable: false, default: "'[]'" }),
      new TableColumn({ name: 'access_token_ttl', type: 'integer', isNullable: true }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'device_auth_authorization_codes',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'code_hash', type: 'varchar', length: '64' },
          { name: 'client_id', type: 'varchar', length: '100' },
          { name: 'user_id', type: 'varchar', length: '200' },
          { name: 'scope', type: 'text' },
          { name: 'redirect_uri', type: 'text' },
          { name: 'code_challenge', type: 'varchar', length: '64' },
          { name: 'nonce', type: 'text', isNullable: true },
          { name: 'approved_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
          { name: 'redeemed_at', type: 'bigint', isNullable: true },
          { name: 'grant_id', type: 'varchar', length: '36', isNullable: true },
        ],
        indices: [
          { name: 'UQ_device_auth_authorization_code_hash', columnNames: ['code_hash'], isUnique: true },
          { name: 'IDX_device_auth_authorization_code_expires_at', columnNames: ['expires_at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('device_auth_authorization_codes');
    await queryRunner.dropColumns('device_auth_clients', ['access_token_ttl', 'redirect_uris']);
    await queryRunner.changeColumn(
      'device_auth_grants',
      'user_id',
      new TableColumn({ name: 'user_id', type: 'varchar', length: '200', isNullable: false }),
    );
  }
}
