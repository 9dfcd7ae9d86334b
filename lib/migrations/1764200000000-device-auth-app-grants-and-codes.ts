import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('device_auth_clients', ['access_token_ttl', 'redirect_uris']);
    await queryRunner.changeColumn(
      'device_auth_grants',
      'user_id',
      new TableColumn({ name: 'user_id', type: 'varchar', length: '200', isNullable: false }),
    );
  }
}
